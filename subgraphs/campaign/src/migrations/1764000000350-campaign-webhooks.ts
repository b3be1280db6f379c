import { createWebhookTables, dropWebhookTables } from '@phub/kit';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Partners' campaign webhooks: the kit's endpoint registry, delivery log and secrets' key (webhook_key). */
export class CampaignWebhooks1764000000350 implements MigrationInterface {
  name = 'CampaignWebhooks1764000000350';

  async up(runner: QueryRunner): Promise<void> {
    await createWebhookTables(runner);
  }

  async down(runner: QueryRunner): Promise<void> {
    await dropWebhookTables(runner);
  }
}
