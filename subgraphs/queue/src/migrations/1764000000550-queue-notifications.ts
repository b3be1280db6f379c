import type { MigrationInterface, QueryRunner } from 'typeorm';

/** SMS consent, the SMS outbox, outbound webhooks with their delivery log, and the line's event version. */
export class QueueNotifications1764000000550 implements MigrationInterface {
  name = 'QueueNotifications1764000000550';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'queue'}"`;
    // Without the visitor's consent no SMS goes to their phone (tickets from before: none).
    await runner.query(`ALTER TABLE ${s}."ticket" ADD COLUMN "sms_consent" boolean NOT NULL DEFAULT false`);
    // Bumped (under the row lock) with every queue.line.v1 event: consumers keep the highest.
    await runner.query(`ALTER TABLE ${s}."line" ADD COLUMN "state_version" bigint NOT NULL DEFAULT 0`);
    // Every SMS, queued in the transaction that caused it and sent by the worker (SNS, or kept here as the outbox).
    await runner.query(`CREATE TABLE ${s}."sms_message" (
      "id" uuid PRIMARY KEY,
      "tenant_id" uuid NOT NULL,
      "store_id" uuid NOT NULL,
      "ticket_id" uuid,
      "kind" text NOT NULL,
      "reference" text,
      "recipient" text NOT NULL,
      "recipient_masked" text NOT NULL,
      "body" text NOT NULL,
      "status" text NOT NULL,
      "transport" text,
      "provider_message_id" text,
      "attempts" integer NOT NULL DEFAULT 0,
      "last_error" text,
      "created_at" timestamptz NOT NULL,
      "send_after" timestamptz NOT NULL,
      "next_attempt_at" timestamptz NOT NULL,
      "sent_at" timestamptz,
      "failed_at" timestamptz
    )`);
    // "You are next" goes once per ticket; a reminder once per caller's reference.
    await runner.query(
      `CREATE UNIQUE INDEX "sms_message_next_once" ON ${s}."sms_message" ("ticket_id") WHERE "kind" = 'NEXT'`,
    );
    await runner.query(
      `CREATE UNIQUE INDEX "sms_message_reference" ON ${s}."sms_message" ("tenant_id", "kind", "reference") WHERE "reference" IS NOT NULL`,
    );
    await runner.query(
      `CREATE INDEX "sms_message_due" ON ${s}."sms_message" ("next_attempt_at") WHERE "status" = 'QUEUED'`,
    );
    await runner.query(
      `CREATE INDEX "sms_message_store" ON ${s}."sms_message" ("tenant_id", "store_id", "created_at")`,
    );
    await runner.query(`CREATE INDEX "sms_message_ticket" ON ${s}."sms_message" ("ticket_id")`);
    // Outbound webhooks of a tenant (store_id NULL) or of one store; the secret is sealed like personal data.
    await runner.query(`CREATE TABLE ${s}."webhook_endpoint" (
      "id" uuid PRIMARY KEY,
      "tenant_id" uuid NOT NULL,
      "store_id" uuid,
      "url" text NOT NULL,
      "events" text[] NOT NULL,
      "description" text,
      "secret" text NOT NULL,
      "active" boolean NOT NULL,
      "created_by" text,
      "created_at" timestamptz NOT NULL,
      "updated_at" timestamptz NOT NULL
    )`);
    await runner.query(`CREATE INDEX "webhook_endpoint_tenant" ON ${s}."webhook_endpoint" ("tenant_id", "store_id")`);
    // One event to one endpoint: the frozen body, then each attempt's outcome.
    await runner.query(`CREATE TABLE ${s}."webhook_delivery" (
      "id" uuid PRIMARY KEY,
      "endpoint_id" uuid NOT NULL REFERENCES ${s}."webhook_endpoint" ("id") ON DELETE CASCADE,
      "tenant_id" uuid NOT NULL,
      "store_id" uuid NOT NULL,
      "event_id" uuid NOT NULL,
      "event" text NOT NULL,
      "ticket_id" uuid NOT NULL,
      "payload" jsonb NOT NULL,
      "status" text NOT NULL,
      "attempts" integer NOT NULL DEFAULT 0,
      "last_status_code" integer,
      "last_error" text,
      "created_at" timestamptz NOT NULL,
      "next_attempt_at" timestamptz NOT NULL,
      "last_attempt_at" timestamptz,
      "delivered_at" timestamptz,
      "failed_at" timestamptz
    )`);
    await runner.query(
      `CREATE INDEX "webhook_delivery_due" ON ${s}."webhook_delivery" ("next_attempt_at") WHERE "status" = 'PENDING'`,
    );
    await runner.query(
      `CREATE INDEX "webhook_delivery_endpoint" ON ${s}."webhook_delivery" ("endpoint_id", "created_at")`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'queue'}"`;
    await runner.query(`DROP TABLE ${s}."webhook_delivery"`);
    await runner.query(`DROP TABLE ${s}."webhook_endpoint"`);
    await runner.query(`DROP TABLE ${s}."sms_message"`);
    await runner.query(`ALTER TABLE ${s}."line" DROP COLUMN "state_version"`);
    await runner.query(`ALTER TABLE ${s}."ticket" DROP COLUMN "sms_consent"`);
  }
}
