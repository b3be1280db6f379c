import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PlaybackInitial1764000000400 implements MigrationInterface {
  name = 'PlaybackInitial1764000000400';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'playback'}"`;
    // Playback's copy of location's displays (from location.display.v1): tenant and store of each display.
    await runner.query(`CREATE TABLE ${s}."known_display" (
      "id" uuid PRIMARY KEY,
      "tenant_id" uuid NOT NULL,
      "store_id" uuid NOT NULL,
      "archived_at" timestamptz,
      "occurred_at" timestamptz NOT NULL
    )`);
    await runner.query(`CREATE INDEX "known_display_tenant_store" ON ${s}."known_display" ("tenant_id", "store_id")`);
    // Raw proof of play: the client-generated id makes a retried batch a no-op.
    await runner.query(`CREATE TABLE ${s}."play" (
      "id" uuid PRIMARY KEY,
      "tenant_id" uuid NOT NULL,
      "display_id" uuid NOT NULL,
      "store_id" uuid NOT NULL,
      "campaign_id" uuid NOT NULL,
      "creative_id" uuid NOT NULL,
      "playlist_version" text NOT NULL,
      "started_at" timestamptz NOT NULL,
      "ended_at" timestamptz NOT NULL,
      "duration_ms" integer NOT NULL,
      "received_at" timestamptz NOT NULL
    )`);
    await runner.query(`CREATE INDEX "play_tenant_started" ON ${s}."play" ("tenant_id", "started_at")`);
    await runner.query(`CREATE TABLE ${s}."heartbeat" (
      "id" uuid PRIMARY KEY,
      "tenant_id" uuid NOT NULL,
      "display_id" uuid NOT NULL,
      "at" timestamptz NOT NULL,
      "current_creative_id" uuid,
      "playlist_version" text,
      "app_version" text,
      "uptime_seconds" integer,
      "received_at" timestamptz NOT NULL
    )`);
    await runner.query(`CREATE INDEX "heartbeat_display_at" ON ${s}."heartbeat" ("display_id", "at")`);
    // Daily rollups: reports read these, never raw plays.
    await runner.query(`CREATE TABLE ${s}."play_rollup" (
      "tenant_id" uuid NOT NULL,
      "day" date NOT NULL,
      "campaign_id" uuid NOT NULL,
      "creative_id" uuid NOT NULL,
      "store_id" uuid NOT NULL,
      "display_id" uuid NOT NULL,
      "plays" bigint NOT NULL,
      "play_ms" bigint NOT NULL,
      PRIMARY KEY ("tenant_id", "day", "campaign_id", "creative_id", "store_id", "display_id")
    )`);
    await runner.query(`CREATE TABLE ${s}."display_state" (
      "display_id" uuid PRIMARY KEY,
      "tenant_id" uuid NOT NULL,
      "store_id" uuid NOT NULL,
      "first_seen_at" timestamptz,
      "last_seen_at" timestamptz,
      "reported_version" text,
      "current_creative_id" uuid,
      "app_version" text,
      "uptime_seconds" integer,
      "last_play_at" timestamptz,
      "reported_since" timestamptz,
      "status" text NOT NULL DEFAULT 'UNKNOWN',
      "status_changed_at" timestamptz
    )`);
    await runner.query(`CREATE INDEX "display_state_tenant_store" ON ${s}."display_state" ("tenant_id", "store_id")`);
    // The resolved playlist version per display, from campaign.playlist.v1 (campaign owns the truth).
    await runner.query(`CREATE TABLE ${s}."expected_playlist" (
      "display_id" uuid PRIMARY KEY,
      "tenant_id" uuid NOT NULL,
      "version" text NOT NULL,
      "occurred_at" timestamptz NOT NULL
    )`);
    await runner.query(`CREATE TABLE ${s}."alert" (
      "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      "tenant_id" uuid NOT NULL,
      "store_id" uuid NOT NULL,
      "display_id" uuid NOT NULL,
      "kind" text NOT NULL,
      "state" text NOT NULL,
      "message" text NOT NULL,
      "raised_at" timestamptz NOT NULL,
      "acknowledged_at" timestamptz,
      "acknowledged_by" text,
      "resolved_at" timestamptz
    )`);
    // One open alert per display and kind, even with several evaluators running.
    await runner.query(
      `CREATE UNIQUE INDEX "alert_open" ON ${s}."alert" ("display_id", "kind") WHERE "state" <> 'RESOLVED'`,
    );
    await runner.query(`CREATE INDEX "alert_tenant_store" ON ${s}."alert" ("tenant_id", "store_id", "raised_at")`);
    await runner.query(`CREATE TABLE ${s}."notification_settings" (
      "tenant_id" uuid PRIMARY KEY,
      "emails" text[] NOT NULL DEFAULT '{}',
      "phones" text[] NOT NULL DEFAULT '{}',
      "updated_at" timestamptz NOT NULL DEFAULT now()
    )`);
    await runner.query(`CREATE TABLE ${s}."sent_message" (
      "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      "tenant_id" uuid NOT NULL,
      "channel" text NOT NULL,
      "recipient" text NOT NULL,
      "subject" text NOT NULL,
      "body" text NOT NULL,
      "transport" text NOT NULL,
      "alert_id" uuid,
      "sent_key" text NOT NULL,
      "sent_at" timestamptz NOT NULL
    )`);
    await runner.query(`CREATE INDEX "sent_message_tenant_key" ON ${s}."sent_message" ("tenant_id", "sent_key", "id")`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'playback'}"`;
    for (const t of [
      'sent_message',
      'notification_settings',
      'alert',
      'expected_playlist',
      'display_state',
      'play_rollup',
      'heartbeat',
      'play',
      'known_display',
    ]) {
      await runner.query(`DROP TABLE ${s}."${t}"`);
    }
  }
}
