import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Kiosk tablets pair like display players; the code and the session remember which kind was paired. */
export class AuthPairingKind1764000000520 implements MigrationInterface {
  name = 'AuthPairingKind1764000000520';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'auth'}"`;
    for (const table of ['pairing_code', 'session']) {
      await runner.query(
        `ALTER TABLE ${s}."${table}" ADD COLUMN "device_kind" text NOT NULL DEFAULT 'DISPLAY' CHECK ("device_kind" IN ('DISPLAY', 'KIOSK'))`,
      );
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'auth'}"`;
    for (const table of ['pairing_code', 'session']) {
      await runner.query(`ALTER TABLE ${s}."${table}" DROP COLUMN "device_kind"`);
    }
  }
}
