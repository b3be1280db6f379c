import { createWebhookTables, dropWebhookTables } from '@phub/kit';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Partners' alert webhooks: the kit's endpoint registry, delivery log and secrets' key (webhook_key). */
export class PlaybackWebhooks1764000000440 implements MigrationInterface {
  name = 'PlaybackWebhooks1764000000440';

  async up(runner: QueryRunner): Promise<void> {
    await createWebhookTables(runner);
  }

  async down(runner: QueryRunner): Promise<void> {
    await dropWebhookTables(runner);
  }
}
