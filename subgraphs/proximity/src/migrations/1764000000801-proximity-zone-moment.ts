import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What proximity last emitted for each zone's anonymous moment (its occurredAt and expiresAt; the epoch when never),
 * so a webhook message emits a moment only when the zone's presence changes, not once per event. Its row is also
 * the lock that makes concurrent messages over one zone decide one after the other.
 */
export class ProximityZoneMoment1764000000801 implements MigrationInterface {
  name = 'ProximityZoneMoment1764000000801';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'proximity'}"`;
    await runner.query(`CREATE TABLE ${s}."zone_moment" (
      "tenant_id" uuid NOT NULL,
      "zone_id" uuid NOT NULL,
      "store_id" uuid NOT NULL,
      "occurred_at" timestamptz NOT NULL,
      "expires_at" timestamptz NOT NULL,
      PRIMARY KEY ("tenant_id", "zone_id")
    )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'proximity'}"`;
    await runner.query(`DROP TABLE ${s}."zone_moment"`);
  }
}
