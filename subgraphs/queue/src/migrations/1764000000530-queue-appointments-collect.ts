import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Appointments (slots per line), Click&Collect orders, and what links a ticket to either. */
export class QueueAppointmentsCollect1764000000530 implements MigrationInterface {
  name = 'QueueAppointmentsCollect1764000000530';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'queue'}"`;
    // kind COLLECT: an order pickup line; slot_minutes NULL: the line takes no appointments.
    await runner.query(`ALTER TABLE ${s}."line"
      ADD COLUMN "kind" text NOT NULL DEFAULT 'WALK_IN' CHECK ("kind" IN ('WALK_IN', 'COLLECT')),
      ADD COLUMN "slot_minutes" integer,
      ADD COLUMN "slot_capacity" integer`);
    await runner.query(`ALTER TABLE ${s}."ticket"
      ADD COLUMN "appointment_id" uuid,
      ADD COLUMN "collect_order_id" uuid`);
    await runner.query(`CREATE TABLE ${s}."appointment" (
      "id" uuid PRIMARY KEY,
      "tenant_id" uuid NOT NULL,
      "store_id" uuid NOT NULL,
      "line_id" uuid NOT NULL,
      "slot_start" timestamptz NOT NULL,
      "slot_end" timestamptz NOT NULL,
      "day" date NOT NULL,
      "state" text NOT NULL,
      "source" text NOT NULL,
      "visitor_name" text,
      "visitor_phone" text,
      "phone_hash" text,
      "token_hash" text NOT NULL UNIQUE,
      "code_hash" text NOT NULL UNIQUE,
      "ticket_id" uuid,
      "booked_by_kind" text NOT NULL,
      "booked_by_id" text,
      "reminded_at" timestamptz,
      "checked_in_at" timestamptz,
      "cancelled_at" timestamptz,
      "no_show_at" timestamptz,
      "created_at" timestamptz NOT NULL,
      "updated_at" timestamptz NOT NULL
    )`);
    // Free slots and the day's list read a line's (or store's) booked appointments by time.
    await runner.query(`CREATE INDEX "appointment_line_slot" ON ${s}."appointment" ("line_id", "slot_start")`);
    await runner.query(`CREATE INDEX "appointment_store_day" ON ${s}."appointment" ("tenant_id", "store_id", "day")`);
    // Reminders and the no-show sweep look at booked ones by time.
    await runner.query(
      `CREATE INDEX "appointment_booked" ON ${s}."appointment" ("slot_start") WHERE "state" = 'BOOKED'`,
    );
    await runner.query(`CREATE TABLE ${s}."collect_order" (
      "id" uuid PRIMARY KEY,
      "tenant_id" uuid NOT NULL,
      "store_id" uuid NOT NULL,
      "line_id" uuid NOT NULL,
      "reference" text NOT NULL,
      "state" text NOT NULL,
      "customer_name" text,
      "customer_phone" text,
      "phone_hash" text,
      "code_hash" text NOT NULL UNIQUE,
      "ticket_id" uuid,
      "created_by_kind" text NOT NULL,
      "created_by_id" text,
      "created_at" timestamptz NOT NULL,
      "checked_in_at" timestamptz,
      "collected_at" timestamptz,
      "cancelled_at" timestamptz,
      "updated_at" timestamptz NOT NULL,
      UNIQUE ("tenant_id", "store_id", "reference")
    )`);
    await runner.query(`CREATE INDEX "collect_order_store" ON ${s}."collect_order" ("tenant_id", "store_id", "state")`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'queue'}"`;
    await runner.query(`DROP TABLE ${s}."collect_order"`);
    await runner.query(`DROP TABLE ${s}."appointment"`);
    await runner.query(`ALTER TABLE ${s}."ticket" DROP COLUMN "appointment_id", DROP COLUMN "collect_order_id"`);
    await runner.query(
      `ALTER TABLE ${s}."line" DROP COLUMN "kind", DROP COLUMN "slot_minutes", DROP COLUMN "slot_capacity"`,
    );
  }
}
