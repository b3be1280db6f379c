import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Daily figures per line and store-local day for the queue reports (modules/report/README.md), kept by a
 * trigger on `ticket` in the same transaction as every change: whichever code path issues, calls, serves or
 * cancels a ticket, the rollup cannot miss it. Each event counts on the store-local day it happened.
 */
export class QueueReportRollup1764000000580 implements MigrationInterface {
  name = 'QueueReportRollup1764000000580';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'queue'}"`;
    // served_by_hour[i]: served in the day's i-th hour since local midnight (23, 24 or 25 of them);
    // wait_ms / service_ms: every sample of the day, so percentiles stay exact (percentile_cont over them).
    await runner.query(`CREATE TABLE ${s}."line_day" (
      "tenant_id" uuid NOT NULL,
      "store_id" uuid NOT NULL,
      "line_id" uuid NOT NULL,
      "day" date NOT NULL,
      "joined" integer NOT NULL DEFAULT 0,
      "served" integer NOT NULL DEFAULT 0,
      "no_shows" integer NOT NULL DEFAULT 0,
      "cancelled" integer NOT NULL DEFAULT 0,
      "cancelled_by_clerk" integer NOT NULL DEFAULT 0,
      "served_by_hour" integer[] NOT NULL DEFAULT '{}',
      "wait_ms" integer[] NOT NULL DEFAULT '{}',
      "service_ms" integer[] NOT NULL DEFAULT '{}',
      PRIMARY KEY ("line_id", "day")
    )`);
    // HQ reads a tenant's days; store managers and store filters read one store's days.
    await runner.query(`CREATE INDEX "line_day_tenant_day" ON ${s}."line_day" ("tenant_id", "day")`);
    await runner.query(`CREATE INDEX "line_day_store_day" ON ${s}."line_day" ("tenant_id", "store_id", "day")`);

    // Adds one served ticket to hour h of a day's counts (1-based; the array grows as the day goes on).
    await runner.query(`CREATE FUNCTION ${s}."hour_add"(a integer[], h integer) RETURNS integer[]
      LANGUAGE sql IMMUTABLE AS $fn$
        SELECT CASE WHEN h IS NULL THEN a ELSE (
          SELECT array_agg(coalesce(a[i], 0) + (i = h)::integer ORDER BY i)
          FROM generate_series(1, greatest(h, coalesce(array_length(a, 1), 0))) i
        ) END
      $fn$`);
    // Adds one event to its line's day. The day and hour are the store's own (its zone at the time of the event).
    await runner.query(`CREATE FUNCTION ${s}."line_day_add"(
        p_tenant uuid, p_store uuid, p_line uuid, p_at timestamptz, p_zone text, p_kind text, p_ms bigint
      ) RETURNS void LANGUAGE plpgsql AS $fn$
      DECLARE
        d date := (p_at AT TIME ZONE p_zone)::date;
        h integer := NULL;
        ms integer := CASE WHEN p_ms IS NULL THEN NULL ELSE least(greatest(p_ms, 0), 2147483647)::integer END;
      BEGIN
        IF p_kind = 'served' THEN
          h := floor(extract(epoch FROM (p_at - (d::timestamp AT TIME ZONE p_zone))) / 3600)::integer + 1;
        END IF;
        INSERT INTO ${s}."line_day" AS r ("tenant_id", "store_id", "line_id", "day", "joined", "served", "no_shows",
            "cancelled", "cancelled_by_clerk", "served_by_hour", "wait_ms", "service_ms")
        VALUES (p_tenant, p_store, p_line, d,
            (p_kind = 'joined')::integer, (p_kind = 'served')::integer, (p_kind = 'no_show')::integer,
            (p_kind = 'cancelled')::integer, (p_kind = 'cancelled_by_clerk')::integer,
            CASE WHEN h IS NULL THEN '{}' ELSE ${s}."hour_add"('{}', h) END,
            CASE WHEN p_kind = 'called' AND ms IS NOT NULL THEN ARRAY[ms] ELSE '{}' END,
            CASE WHEN p_kind = 'served' AND ms IS NOT NULL THEN ARRAY[ms] ELSE '{}' END)
        ON CONFLICT ("line_id", "day") DO UPDATE SET
          "joined" = r."joined" + EXCLUDED."joined",
          "served" = r."served" + EXCLUDED."served",
          "no_shows" = r."no_shows" + EXCLUDED."no_shows",
          "cancelled" = r."cancelled" + EXCLUDED."cancelled",
          "cancelled_by_clerk" = r."cancelled_by_clerk" + EXCLUDED."cancelled_by_clerk",
          "served_by_hour" = CASE WHEN h IS NULL THEN r."served_by_hour" ELSE ${s}."hour_add"(r."served_by_hour", h) END,
          "wait_ms" = r."wait_ms" || EXCLUDED."wait_ms",
          "service_ms" = r."service_ms" || EXCLUDED."service_ms";
      END $fn$`);

    // One ticket change → its events: issued (joined), first call (a wait sample: join → called), and the
    // final states (served with its service time: called → served; no-show; cancelled by visitor or clerk).
    await runner.query(`CREATE FUNCTION ${s}."ticket_rollup_apply"(o ${s}."ticket", n ${s}."ticket")
      RETURNS void LANGUAGE plpgsql AS $fn$
      DECLARE
        zone text;
      BEGIN
        SELECT "timezone" INTO zone FROM ${s}."known_store" WHERE "id" = n."store_id";
        zone := coalesce(zone, 'UTC');
        IF o."id" IS NULL THEN
          PERFORM ${s}."line_day_add"(n."tenant_id", n."store_id", n."line_id", n."created_at", zone, 'joined', NULL);
        END IF;
        IF o."called_at" IS NULL AND n."called_at" IS NOT NULL THEN
          PERFORM ${s}."line_day_add"(n."tenant_id", n."store_id", n."line_id", n."called_at", zone, 'called',
            round(extract(epoch FROM (n."called_at" - n."created_at")) * 1000)::bigint);
        END IF;
        IF n."state" IS DISTINCT FROM o."state" THEN
          IF n."state" = 'SERVED' THEN
            PERFORM ${s}."line_day_add"(n."tenant_id", n."store_id", n."line_id", coalesce(n."served_at", n."updated_at"),
              zone, 'served', round(extract(epoch FROM (n."served_at" - n."called_at")) * 1000)::bigint);
          ELSIF n."state" = 'NO_SHOW' THEN
            PERFORM ${s}."line_day_add"(n."tenant_id", n."store_id", n."line_id", coalesce(n."no_show_at", n."updated_at"),
              zone, 'no_show', NULL);
          ELSIF n."state" = 'CANCELLED' THEN
            PERFORM ${s}."line_day_add"(n."tenant_id", n."store_id", n."line_id", coalesce(n."cancelled_at", n."updated_at"),
              zone, 'cancelled', NULL);
          ELSIF n."state" = 'CANCELLED_BY_CLERK' THEN
            PERFORM ${s}."line_day_add"(n."tenant_id", n."store_id", n."line_id", coalesce(n."cancelled_at", n."updated_at"),
              zone, 'cancelled_by_clerk', NULL);
          END IF;
        END IF;
      END $fn$`);
    await runner.query(`CREATE FUNCTION ${s}."ticket_rollup"() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM ${s}."ticket_rollup_apply"(NULL, NEW);
        ELSE
          PERFORM ${s}."ticket_rollup_apply"(OLD, NEW);
        END IF;
        RETURN NULL;
      END $fn$`);
    await runner.query(
      `CREATE TRIGGER "ticket_rollup_insert" AFTER INSERT ON ${s}."ticket" FOR EACH ROW EXECUTE FUNCTION ${s}."ticket_rollup"()`,
    );
    // Only changes that count (a first call, a new state) pay for the function: notes, parking, recalls do not.
    await runner.query(
      `CREATE TRIGGER "ticket_rollup_update" AFTER UPDATE ON ${s}."ticket" FOR EACH ROW
       WHEN (OLD."state" IS DISTINCT FROM NEW."state" OR (OLD."called_at" IS NULL AND NEW."called_at" IS NOT NULL))
       EXECUTE FUNCTION ${s}."ticket_rollup"()`,
    );
    // Tickets from before the rollup existed (demo data, early installs) count too.
    await runner.query(`SELECT ${s}."ticket_rollup_apply"(NULL, t) FROM ${s}."ticket" t ORDER BY t."seq"`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'queue'}"`;
    await runner.query(`DROP TRIGGER "ticket_rollup_update" ON ${s}."ticket"`);
    await runner.query(`DROP TRIGGER "ticket_rollup_insert" ON ${s}."ticket"`);
    await runner.query(`DROP FUNCTION ${s}."ticket_rollup"()`);
    await runner.query(`DROP FUNCTION ${s}."ticket_rollup_apply"(${s}."ticket", ${s}."ticket")`);
    await runner.query(`DROP FUNCTION ${s}."line_day_add"(uuid, uuid, uuid, timestamptz, text, text, bigint)`);
    await runner.query(`DROP FUNCTION ${s}."hour_add"(integer[], integer)`);
    await runner.query(`DROP TABLE ${s}."line_day"`);
  }
}
