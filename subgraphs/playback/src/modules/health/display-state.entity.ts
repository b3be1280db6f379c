import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What playback knows of one display: last heartbeat, what it reports playing, what it should play. */
@Entity({ name: 'display_state' })
export class DisplayState {
  @PrimaryColumn({ name: 'display_id', type: 'uuid' })
  displayId: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'store_id', type: 'uuid' })
  storeId: string;

  @Column({ name: 'first_seen_at', type: 'timestamptz', nullable: true })
  firstSeenAt: Date | null;

  @Column({ name: 'last_seen_at', type: 'timestamptz', nullable: true })
  lastSeenAt: Date | null;

  @Column({ name: 'reported_version', type: 'text', nullable: true })
  reportedVersion: string | null;

  @Column({ name: 'current_creative_id', type: 'uuid', nullable: true })
  currentCreativeId: string | null;

  @Column({ name: 'app_version', type: 'text', nullable: true })
  appVersion: string | null;

  @Column({ name: 'uptime_seconds', type: 'integer', nullable: true })
  uptimeSeconds: number | null;

  @Column({ name: 'last_play_at', type: 'timestamptz', nullable: true })
  lastPlayAt: Date | null;

  /** Since when the display has reported `reportedVersion`. */
  @Column({ name: 'reported_since', type: 'timestamptz', nullable: true })
  reportedSince: Date | null;

  @Column({ type: 'text', default: 'UNKNOWN' })
  status: string;

  @Column({ name: 'status_changed_at', type: 'timestamptz', nullable: true })
  statusChangedAt: Date | null;
}

/** The resolved playlist version of a display, from `campaign.playlist.v1`. */
@Entity({ name: 'expected_playlist' })
export class ExpectedPlaylist {
  @PrimaryColumn({ name: 'display_id', type: 'uuid' })
  displayId: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ type: 'text' })
  version: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  /** Items in the resolved playlist; null when campaign has not said. */
  @Column({ type: 'integer', nullable: true })
  items: number | null;

  /** When the resolved playlist last went from empty to having items. */
  @Column({ name: 'content_since', type: 'timestamptz', nullable: true })
  contentSince: Date | null;
}
