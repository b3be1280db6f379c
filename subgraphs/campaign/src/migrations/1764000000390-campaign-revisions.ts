import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Revisions of approved campaigns: an edit of an APPROVED, LIVE or PAUSED campaign waits here for review while
 * the campaign row (the approved version) keeps playing. At most one PENDING revision per campaign.
 */
export class CampaignRevisions1764000000390 implements MigrationInterface {
  name = 'CampaignRevisions1764000000390';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'campaign'}"`;
    await runner.query(`CREATE TABLE ${s}."campaign_revision" (
      "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      "tenant_id" uuid NOT NULL,
      "campaign_id" uuid NOT NULL REFERENCES ${s}."campaign" ("id") ON DELETE CASCADE,
      "status" text NOT NULL CHECK ("status" IN ('PENDING', 'APPROVED', 'REJECTED', 'WITHDRAWN')),
      "priority" int NOT NULL,
      "weight" int NOT NULL CHECK ("weight" > 0),
      "schedule" jsonb NOT NULL,
      "targeting" jsonb NOT NULL,
      "creative_ids" uuid[] NOT NULL DEFAULT '{}',
      "changes" text[] NOT NULL DEFAULT '{}',
      "created_by" text NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "updated_by" text NOT NULL,
      "updated_at" timestamptz NOT NULL DEFAULT now(),
      "decided_by" text,
      "decided_at" timestamptz,
      "review_note" text
    )`);
    await runner.query(
      `CREATE UNIQUE INDEX "campaign_revision_pending" ON ${s}."campaign_revision" ("campaign_id") WHERE "status" = 'PENDING'`,
    );
    await runner.query(
      `CREATE INDEX "campaign_revision_tenant_status" ON ${s}."campaign_revision" ("tenant_id", "status")`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'campaign'}"`;
    await runner.query(`DROP TABLE ${s}."campaign_revision"`);
  }
}
