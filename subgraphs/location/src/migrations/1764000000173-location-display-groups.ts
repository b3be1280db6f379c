import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Display groups: named sets of displays across stores that HQ manages together. */
export class LocationDisplayGroups1764000000173 implements MigrationInterface {
  name = 'LocationDisplayGroups1764000000173';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'location'}"`;
    await runner.query(`CREATE TABLE ${s}."display_group" (
      "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      "tenant_id" uuid NOT NULL,
      "name" text NOT NULL,
      "description" text,
      "tags" text[] NOT NULL DEFAULT '{}',
      "archived_at" timestamptz,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "updated_at" timestamptz NOT NULL DEFAULT now()
    )`);
    await runner.query(`CREATE INDEX "display_group_tenant" ON ${s}."display_group" ("tenant_id")`);
    // One active group per name (case-insensitive) within a tenant; archived ones free the name.
    await runner.query(
      `CREATE UNIQUE INDEX "display_group_active_name" ON ${s}."display_group" ("tenant_id", lower("name")) WHERE "archived_at" IS NULL`,
    );
    await runner.query(`CREATE TABLE ${s}."display_group_member" (
      "group_id" uuid NOT NULL REFERENCES ${s}."display_group" ("id") ON DELETE CASCADE,
      "display_id" uuid NOT NULL REFERENCES ${s}."display" ("id") ON DELETE CASCADE,
      "tenant_id" uuid NOT NULL,
      "added_at" timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY ("group_id", "display_id")
    )`);
    await runner.query(
      `CREATE INDEX "display_group_member_display" ON ${s}."display_group_member" ("tenant_id", "display_id")`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'location'}"`;
    await runner.query(`DROP TABLE ${s}."display_group_member"`);
    await runner.query(`DROP TABLE ${s}."display_group"`);
  }
}
