import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Appointment reminders: the visitor's SMS consent, and the index the reminder job's due query walks. */
export class QueueAppointmentReminders1764000000600 implements MigrationInterface {
  name = 'QueueAppointmentReminders1764000000600';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'queue'}"`;
    await runner.query(`ALTER TABLE ${s}."appointment" ADD COLUMN "sms_consent" boolean NOT NULL DEFAULT false`);
    // Only BOOKED appointments with consent that were not reminded yet are ever due.
    await runner.query(
      `CREATE INDEX "appointment_reminder_due" ON ${s}."appointment" ("slot_start")
       WHERE "state" = 'BOOKED' AND "sms_consent" AND "reminded_at" IS NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'queue'}"`;
    await runner.query(`DROP INDEX ${s}."appointment_reminder_due"`);
    await runner.query(`ALTER TABLE ${s}."appointment" DROP COLUMN "sms_consent"`);
  }
}
