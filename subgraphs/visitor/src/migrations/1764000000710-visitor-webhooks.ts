import { createWebhookTables, dropWebhookTables } from '@phub/kit';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The kit's webhook registry and delivery log for visitor events (check-ins), in the visitor schema. */
export class VisitorWebhooks1764000000710 implements MigrationInterface {
  name = 'VisitorWebhooks1764000000710';

  async up(runner: QueryRunner): Promise<void> {
    await createWebhookTables(runner);
  }

  async down(runner: QueryRunner): Promise<void> {
    await dropWebhookTables(runner);
  }
}
