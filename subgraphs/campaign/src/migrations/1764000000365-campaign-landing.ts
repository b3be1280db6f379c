import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Campaign landing pages (what a campaign's QR code opens) and their scans per day. */
export class CampaignLanding1764000000365 implements MigrationInterface {
  name = 'CampaignLanding1764000000365';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'campaign'}"`;
    await runner.query(`CREATE TABLE ${s}."campaign_landing" (
      "campaign_id" uuid PRIMARY KEY REFERENCES ${s}."campaign" ("id") ON DELETE CASCADE,
      "tenant_id" uuid NOT NULL,
      "headline" text NOT NULL,
      "body" text,
      "cta_label" text,
      "cta_url" text,
      "updated_at" timestamptz NOT NULL,
      "updated_by" text NOT NULL
    )`);
    await runner.query(`CREATE TABLE ${s}."campaign_landing_scan" (
      "campaign_id" uuid NOT NULL REFERENCES ${s}."campaign" ("id") ON DELETE CASCADE,
      "day" date NOT NULL,
      "tenant_id" uuid NOT NULL,
      "scans" integer NOT NULL,
      PRIMARY KEY ("campaign_id", "day")
    )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'campaign'}"`;
    await runner.query(`DROP TABLE ${s}."campaign_landing_scan"`);
    await runner.query(`DROP TABLE ${s}."campaign_landing"`);
  }
}
