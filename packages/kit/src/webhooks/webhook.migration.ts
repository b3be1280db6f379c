import type { QueryRunner } from 'typeorm';

/** The table of `WebhookSecrets`' data key when the subgraph keeps none of its own. */
export const WEBHOOK_KEY_TABLE = 'webhook_key';

/**
 * The webhook tables in the running migration's schema, for a subgraph's own migration (`up`):
 * endpoints, the delivery log, and (unless the subgraph seals secrets with a data key it already keeps)
 * the table of the secrets' data key. `dropWebhookTables` is its `down`.
 */
export async function createWebhookTables(runner: QueryRunner, options: { keyTable?: boolean } = {}): Promise<void> {
  const s = `"${runner.connection.driver.schema ?? 'public'}"`;
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
  await runner.query(`CREATE TABLE ${s}."webhook_delivery" (
    "id" uuid PRIMARY KEY,
    "endpoint_id" uuid NOT NULL REFERENCES ${s}."webhook_endpoint" ("id") ON DELETE CASCADE,
    "tenant_id" uuid NOT NULL,
    "store_id" uuid,
    "event_id" uuid NOT NULL,
    "event" text NOT NULL,
    "subject_id" uuid NOT NULL,
    "payload" jsonb NOT NULL,
    "status" text NOT NULL,
    "attempts" integer NOT NULL DEFAULT 0,
    "last_status_code" integer,
    "last_error" text,
    "created_at" timestamptz NOT NULL,
    "next_attempt_at" timestamptz NOT NULL,
    "last_attempt_at" timestamptz,
    "delivered_at" timestamptz,
    "failed_at" timestamptz,
    "redelivery_of" uuid
  )`);
  await createDeliveryIndexes(runner);
  if (options.keyTable ?? true) {
    await runner.query(`CREATE TABLE ${s}."${WEBHOOK_KEY_TABLE}" (
      "id" text PRIMARY KEY,
      "sealed" jsonb NOT NULL,
      "created_at" timestamptz NOT NULL
    )`);
  }
}

/**
 * The delivery log's indexes: due deliveries, an endpoint's log, and one first delivery per event and
 * endpoint (a bus message handled twice fans out once; redeliveries are extra rows).
 */
export async function createDeliveryIndexes(runner: QueryRunner): Promise<void> {
  const s = `"${runner.connection.driver.schema ?? 'public'}"`;
  await runner.query(
    `CREATE INDEX IF NOT EXISTS "webhook_delivery_due" ON ${s}."webhook_delivery" ("next_attempt_at") WHERE "status" = 'PENDING'`,
  );
  await runner.query(
    `CREATE INDEX IF NOT EXISTS "webhook_delivery_endpoint" ON ${s}."webhook_delivery" ("endpoint_id", "created_at")`,
  );
  await runner.query(
    `CREATE UNIQUE INDEX IF NOT EXISTS "webhook_delivery_once" ON ${s}."webhook_delivery" ("endpoint_id", "event_id") WHERE "redelivery_of" IS NULL`,
  );
}

export async function dropWebhookTables(runner: QueryRunner): Promise<void> {
  const s = `"${runner.connection.driver.schema ?? 'public'}"`;
  await runner.query(`DROP TABLE IF EXISTS ${s}."${WEBHOOK_KEY_TABLE}"`);
  await runner.query(`DROP TABLE ${s}."webhook_delivery"`);
  await runner.query(`DROP TABLE ${s}."webhook_endpoint"`);
}
