import type { MigrationInterface, QueryRunner } from 'typeorm';

export class QueueInitial1764000000500 implements MigrationInterface {
  name = 'QueueInitial1764000000500';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'queue'}"`;
    // The queue's copy of location's stores (from location.store.v1): tenant, zone and hours of each.
    await runner.query(`CREATE TABLE ${s}."known_store" (
      "id" uuid PRIMARY KEY,
      "tenant_id" uuid NOT NULL,
      "timezone" text NOT NULL,
      "opening_hours" jsonb NOT NULL DEFAULT '[]'::jsonb,
      "archived_at" timestamptz,
      "occurred_at" timestamptz NOT NULL
    )`);
    // A line (service) of a store. opening_hours NULL: the store's own hours apply.
    await runner.query(`CREATE TABLE ${s}."line" (
      "id" uuid PRIMARY KEY,
      "tenant_id" uuid NOT NULL,
      "store_id" uuid NOT NULL,
      "name" text NOT NULL,
      "prefix" text NOT NULL,
      "opening_hours" jsonb,
      "capacity" integer,
      "archived_at" timestamptz,
      "created_at" timestamptz NOT NULL
    )`);
    await runner.query(`CREATE INDEX "line_tenant_store" ON ${s}."line" ("tenant_id", "store_id")`);
    // A desk (service point); line_ids empty: it serves every line of its store.
    await runner.query(`CREATE TABLE ${s}."desk" (
      "id" uuid PRIMARY KEY,
      "tenant_id" uuid NOT NULL,
      "store_id" uuid NOT NULL,
      "name" text NOT NULL,
      "line_ids" uuid[] NOT NULL DEFAULT '{}',
      "staff_user_id" text,
      "staffed_at" timestamptz,
      "archived_at" timestamptz,
      "created_at" timestamptz NOT NULL
    )`);
    await runner.query(`CREATE INDEX "desk_tenant_store" ON ${s}."desk" ("tenant_id", "store_id")`);
    // Ticket numbers restart every store-local day per line; one row per line and day, bumped atomically.
    await runner.query(`CREATE TABLE ${s}."line_counter" (
      "line_id" uuid NOT NULL,
      "day" date NOT NULL,
      "last" integer NOT NULL,
      PRIMARY KEY ("line_id", "day")
    )`);
    await runner.query(`CREATE TABLE ${s}."ticket" (
      "id" uuid PRIMARY KEY,
      "tenant_id" uuid NOT NULL,
      "store_id" uuid NOT NULL,
      "line_id" uuid NOT NULL,
      "desk_id" uuid,
      "number" text NOT NULL,
      "day" date NOT NULL,
      "state" text NOT NULL,
      "parked" boolean NOT NULL DEFAULT false,
      "source" text NOT NULL,
      "queued_at" timestamptz NOT NULL,
      "seq" bigserial NOT NULL,
      "created_at" timestamptz NOT NULL,
      "called_at" timestamptz,
      "recalled_at" timestamptz,
      "recall_count" integer NOT NULL DEFAULT 0,
      "parked_at" timestamptz,
      "served_at" timestamptz,
      "no_show_at" timestamptz,
      "cancelled_at" timestamptz,
      "visitor_name" text,
      "visitor_phone" text,
      "phone_hash" text,
      "note" text,
      "token_hash" text UNIQUE,
      "updated_at" timestamptz NOT NULL
    )`);
    // Call-next reads the head of one line's waiting tickets.
    await runner.query(
      `CREATE INDEX "ticket_waiting" ON ${s}."ticket" ("line_id", "queued_at", "seq") WHERE "state" = 'NEW' AND NOT "parked"`,
    );
    await runner.query(`CREATE INDEX "ticket_tenant_store_day" ON ${s}."ticket" ("tenant_id", "store_id", "day")`);
    await runner.query(
      `CREATE INDEX "ticket_line_served" ON ${s}."ticket" ("line_id", "served_at") WHERE "served_at" IS NOT NULL`,
    );
    await runner.query(
      `CREATE INDEX "ticket_phone" ON ${s}."ticket" ("line_id", "phone_hash", "day") WHERE "phone_hash" IS NOT NULL`,
    );
    // Every action on a ticket, with who did it (a user, partner, device or the visitor's token).
    await runner.query(`CREATE TABLE ${s}."ticket_action" (
      "id" uuid PRIMARY KEY,
      "tenant_id" uuid NOT NULL,
      "store_id" uuid NOT NULL,
      "ticket_id" uuid NOT NULL REFERENCES ${s}."ticket" ("id") ON DELETE CASCADE,
      "action" text NOT NULL,
      "actor_kind" text NOT NULL,
      "actor_id" text,
      "from_state" text,
      "to_state" text NOT NULL,
      "detail" jsonb NOT NULL DEFAULT '{}'::jsonb,
      "at" timestamptz NOT NULL
    )`);
    await runner.query(`CREATE INDEX "ticket_action_ticket" ON ${s}."ticket_action" ("ticket_id", "at")`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'queue'}"`;
    for (const t of ['ticket_action', 'ticket', 'line_counter', 'desk', 'line', 'known_store']) {
      await runner.query(`DROP TABLE ${s}."${t}"`);
    }
  }
}
