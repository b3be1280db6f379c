import type { MigrationInterface, QueryRunner } from 'typeorm';

export class LocationInitial1764000000100 implements MigrationInterface {
  name = 'LocationInitial1764000000100';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'location'}"`;
    await runner.query(`CREATE TABLE ${s}."region" (
      "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      "tenant_id" uuid NOT NULL,
      "name" text NOT NULL,
      "code" text NOT NULL,
      "archived_at" timestamptz,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "updated_at" timestamptz NOT NULL DEFAULT now()
    )`);
    await runner.query(`CREATE UNIQUE INDEX "region_tenant_code" ON ${s}."region" ("tenant_id", "code")`);
    await runner.query(`CREATE TABLE ${s}."store" (
      "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      "tenant_id" uuid NOT NULL,
      "region_id" uuid REFERENCES ${s}."region" ("id"),
      "name" text NOT NULL,
      "code" text NOT NULL,
      "timezone" text NOT NULL,
      "address" jsonb,
      "lat" double precision,
      "lng" double precision,
      "opening_hours" jsonb NOT NULL DEFAULT '[]'::jsonb,
      "tags" text[] NOT NULL DEFAULT '{}',
      "archived_at" timestamptz,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "updated_at" timestamptz NOT NULL DEFAULT now()
    )`);
    await runner.query(`CREATE UNIQUE INDEX "store_tenant_code" ON ${s}."store" ("tenant_id", "code")`);
    await runner.query(`CREATE INDEX "store_tenant_name" ON ${s}."store" ("tenant_id", "name", "id")`);
    await runner.query(`CREATE INDEX "store_tags" ON ${s}."store" USING gin ("tags")`);
    await runner.query(`CREATE TABLE ${s}."zone" (
      "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      "tenant_id" uuid NOT NULL,
      "store_id" uuid NOT NULL REFERENCES ${s}."store" ("id"),
      "name" text NOT NULL,
      "kind" text NOT NULL,
      "archived_at" timestamptz,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "updated_at" timestamptz NOT NULL DEFAULT now()
    )`);
    await runner.query(`CREATE INDEX "zone_tenant_store" ON ${s}."zone" ("tenant_id", "store_id")`);
    await runner.query(`CREATE TABLE ${s}."display" (
      "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      "tenant_id" uuid NOT NULL,
      "store_id" uuid NOT NULL REFERENCES ${s}."store" ("id"),
      "zone_id" uuid REFERENCES ${s}."zone" ("id"),
      "name" text NOT NULL,
      "orientation" text NOT NULL,
      "resolution" jsonb NOT NULL,
      "tags" text[] NOT NULL DEFAULT '{}',
      "placement" text,
      "archived_at" timestamptz,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "updated_at" timestamptz NOT NULL DEFAULT now()
    )`);
    await runner.query(`CREATE INDEX "display_tenant_store" ON ${s}."display" ("tenant_id", "store_id")`);
    await runner.query(`CREATE INDEX "display_tags" ON ${s}."display" USING gin ("tags")`);
    await runner.query(`CREATE TABLE ${s}."device" (
      "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      "tenant_id" uuid NOT NULL,
      "store_id" uuid NOT NULL REFERENCES ${s}."store" ("id"),
      "zone_id" uuid REFERENCES ${s}."zone" ("id"),
      "kind" text NOT NULL,
      "name" text NOT NULL,
      "serial" text NOT NULL,
      "tags" text[] NOT NULL DEFAULT '{}',
      "archived_at" timestamptz,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "updated_at" timestamptz NOT NULL DEFAULT now()
    )`);
    await runner.query(`CREATE UNIQUE INDEX "device_tenant_serial" ON ${s}."device" ("tenant_id", "serial")`);
    await runner.query(`CREATE INDEX "device_tenant_store" ON ${s}."device" ("tenant_id", "store_id")`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'location'}"`;
    for (const table of ['device', 'display', 'zone', 'store', 'region']) {
      await runner.query(`DROP TABLE ${s}."${table}"`);
    }
  }
}
