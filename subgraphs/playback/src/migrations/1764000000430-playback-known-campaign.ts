import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Playback's copy of campaign's campaigns and their creatives (from `campaign.campaign.v1`), so a play
 * naming a campaign or creative campaign never told us about is flagged at ingestion.
 */
export class PlaybackKnownCampaign1764000000430 implements MigrationInterface {
  name = 'PlaybackKnownCampaign1764000000430';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'playback'}"`;
    await runner.query(`CREATE TABLE ${s}."known_campaign" (
      "id" uuid PRIMARY KEY,
      "tenant_id" uuid NOT NULL,
      "creative_ids" uuid[] NOT NULL,
      "occurred_at" timestamptz NOT NULL
    )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'playback'}"`;
    await runner.query(`DROP TABLE ${s}."known_campaign"`);
  }
}
