import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { OpeningWindow } from '../line/line.hours.js';

/** The queue's copy of location's stores (from `location.store.v1`); location owns the truth. */
@Entity({ name: 'known_store' })
export class KnownStore {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ type: 'text' })
  timezone: string;

  @Column({ name: 'opening_hours', type: 'jsonb' })
  openingHours: OpeningWindow[];

  @Column({ name: 'archived_at', type: 'timestamptz', nullable: true })
  archivedAt: Date | null;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;
}
