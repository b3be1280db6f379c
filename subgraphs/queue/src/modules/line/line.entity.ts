import { Public } from '@phub/kit';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { OpeningWindow } from './line.hours.js';

// The same values as location's Weekday, so the two subgraphs compose into one enum.
export enum Weekday {
  MON = 'MON',
  TUE = 'TUE',
  WED = 'WED',
  THU = 'THU',
  FRI = 'FRI',
  SAT = 'SAT',
  SUN = 'SUN',
}
registerEnumType(Weekday, { name: 'Weekday' });

export enum LineKind {
  WALK_IN = 'WALK_IN',
  COLLECT = 'COLLECT',
}
registerEnumType(LineKind, {
  name: 'LineKind',
  description:
    'WALK_IN: visitors queue for a service; COLLECT: Click&Collect pickup (tickets come from collect orders)',
});

@Public()
@ObjectType({ description: 'A window in which a line takes visitors, in the store’s own time zone' })
export class LineHours {
  @Field(() => Weekday)
  day: Weekday;

  @Field(() => String, { description: 'HH:MM, 24-hour' })
  opens: string;

  @Field(() => String, { description: 'HH:MM, 24-hour; after `opens`' })
  closes: string;
}

@ObjectType({ description: 'A line (service) of a store that visitors queue for, e.g. "Returns"' })
@Entity({ name: 'line' })
export class Line {
  @Public()
  @Field(() => ID)
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Public()
  @Field(() => ID)
  @Column({ name: 'store_id', type: 'uuid' })
  storeId: string;

  @Public()
  @Field(() => String)
  @Column({ type: 'text' })
  name: string;

  @Public()
  @Field(() => String, { description: 'Letters ticket numbers start with (A → A001)' })
  @Column({ type: 'text' })
  prefix: string;

  @Public()
  @Field(() => [LineHours], { nullable: true, description: 'The line’s own hours; null: the store’s hours apply' })
  @Column({ name: 'opening_hours', type: 'jsonb', nullable: true })
  openingHours: OpeningWindow[] | null;

  @Public()
  @Field(() => LineKind)
  @Column({ type: 'text', default: LineKind.WALK_IN })
  kind: LineKind;

  @Public()
  @Field(() => Int, {
    nullable: true,
    description: 'Length of an appointment slot (minutes); null: the line takes no appointments',
  })
  @Column({ name: 'slot_minutes', type: 'integer', nullable: true })
  slotMinutes: number | null;

  @Public()
  @Field(() => Int, { nullable: true, description: 'Appointments per slot (parallel desks); null: 1' })
  @Column({ name: 'slot_capacity', type: 'integer', nullable: true })
  slotCapacity: number | null;

  @Public()
  @Field(() => Int, { nullable: true, description: 'Most waiting tickets remote joins may fill; null: the default' })
  @Column({ type: 'integer', nullable: true })
  capacity: number | null;

  @Public()
  @Field(() => Date, { nullable: true })
  @Column({ name: 'archived_at', type: 'timestamptz', nullable: true })
  archivedAt: Date | null;

  @Public()
  @Field(() => Date)
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
