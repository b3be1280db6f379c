import { createDeliveryIndexes } from '@phub/kit';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The queue's webhook tables become the kit's (packages/kit/src/webhooks): a delivery's subject instead of its
 * ticket, tenant-wide events (no store), redeliveries, and one first delivery per event and endpoint. Secrets
 * stay sealed with the personal-data key, which the kit is told to use.
 */
export class QueueWebhooksKit1764000000590 implements MigrationInterface {
  name = 'QueueWebhooksKit1764000000590';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'queue'}"`;
    await runner.query(`ALTER TABLE ${s}."webhook_delivery" RENAME COLUMN "ticket_id" TO "subject_id"`);
    await runner.query(`ALTER TABLE ${s}."webhook_delivery" ALTER COLUMN "store_id" DROP NOT NULL`);
    await runner.query(`ALTER TABLE ${s}."webhook_delivery" ADD COLUMN "redelivery_of" uuid`);
    await createDeliveryIndexes(runner);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'queue'}"`;
    await runner.query(`DROP INDEX ${s}."webhook_delivery_once"`);
    await runner.query(`DELETE FROM ${s}."webhook_delivery" WHERE "redelivery_of" IS NOT NULL OR "store_id" IS NULL`);
    await runner.query(`ALTER TABLE ${s}."webhook_delivery" DROP COLUMN "redelivery_of"`);
    await runner.query(`ALTER TABLE ${s}."webhook_delivery" ALTER COLUMN "store_id" SET NOT NULL`);
    await runner.query(`ALTER TABLE ${s}."webhook_delivery" RENAME COLUMN "subject_id" TO "ticket_id"`);
  }
}
