import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Audit entries handed over by other domains (approvals, pauses, overrides, takeovers on `audit.action.v1`) carry
 * their producer's event id: a redelivered message is recorded once.
 */
export class AuthAuditSource1764000000957 implements MigrationInterface {
  name = 'AuthAuditSource1764000000957';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'auth'}"`;
    await runner.query(`ALTER TABLE ${s}."audit_event" ADD COLUMN "source_event_id" uuid`);
    await runner.query(
      `CREATE UNIQUE INDEX "audit_event_source" ON ${s}."audit_event" ("source_event_id") WHERE "source_event_id" IS NOT NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'auth'}"`;
    await runner.query(`DROP INDEX ${s}."audit_event_source"`);
    await runner.query(`ALTER TABLE ${s}."audit_event" DROP COLUMN "source_event_id"`);
  }
}
