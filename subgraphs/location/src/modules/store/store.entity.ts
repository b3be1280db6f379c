import { Public } from '@phub/kit';
import { Directive, Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

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

@Public()
@ObjectType()
export class Address {
  @Field(() => String)
  line1: string;

  @Field(() => String, { nullable: true })
  line2?: string | null;

  @Field(() => String)
  city: string;

  @Field(() => String, { nullable: true })
  postcode?: string | null;

  @Field(() => String, { description: 'ISO 3166-1 alpha-2' })
  country: string;
}

@Public()
@ObjectType({ description: 'WGS84 coordinates' })
export class GeoPoint {
  @Field(() => Float)
  lat: number;

  @Field(() => Float)
  lng: number;
}

@Public()
@ObjectType({ description: 'Opening window on a weekday, in the store’s own time zone' })
export class OpeningHours {
  @Field(() => Weekday)
  day: Weekday;

  @Field(() => String, { description: 'HH:MM, 24-hour' })
  opens: string;

  @Field(() => String, { description: 'HH:MM, 24-hour; after `opens`' })
  closes: string;
}

@Public()
@ObjectType({
  description: 'A day on which the store keeps other hours than its week’s (a holiday, a late opening), store-local',
})
export class OpeningHoursException {
  @Field(() => String, { description: 'Store-local date YYYY-MM-DD' })
  date: string;

  @Field(() => Boolean, { description: 'Shut all day (then no opens/closes)' })
  closed: boolean;

  @Field(() => String, { nullable: true, description: 'HH:MM, 24-hour; set when not closed' })
  opens?: string | null;

  @Field(() => String, { nullable: true, description: 'HH:MM, 24-hour; after `opens`' })
  closes?: string | null;

  @Field(() => String, { nullable: true, description: 'Why, for staff and visitors, e.g. "Christmas Day"' })
  note?: string | null;
}

@Public()
@ObjectType({ description: 'How visitors and HQ reach the store' })
export class StoreContact {
  @Field(() => String, { nullable: true, description: 'International format, e.g. +44 20 7946 0000' })
  phone?: string | null;

  @Field(() => String, { nullable: true })
  email?: string | null;
}

@ObjectType({ description: 'A retail store or bank branch' })
@Directive('@key(fields: "id")')
@Entity({ name: 'store' })
@Index(['tenantId', 'code'], { unique: true })
export class Store {
  @Public()
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'region_id', type: 'uuid', nullable: true })
  regionId: string | null;

  @Public()
  @Field(() => String)
  @Column({ type: 'text' })
  name: string;

  @Public()
  @Field(() => String, { description: 'Short code, unique within the tenant' })
  @Column({ type: 'text' })
  code: string;

  @Public()
  @Field(() => String, { description: 'IANA time zone, e.g. Europe/London' })
  @Column({ type: 'text' })
  timezone: string;

  @Public()
  @Field(() => Address, { nullable: true })
  @Column({ type: 'jsonb', nullable: true })
  address: Address | null;

  @Column({ type: 'double precision', nullable: true })
  lat: number | null;

  @Column({ type: 'double precision', nullable: true })
  lng: number | null;

  @Public()
  @Field(() => [OpeningHours])
  @Column({ name: 'opening_hours', type: 'jsonb', default: () => "'[]'::jsonb" })
  openingHours: OpeningHours[];

  @Public()
  @Field(() => [OpeningHoursException], { description: 'Days with other hours than the week’s, by date' })
  @Column({ name: 'opening_hours_exceptions', type: 'jsonb', default: () => "'[]'::jsonb" })
  openingHoursExceptions: OpeningHoursException[];

  @Public()
  @Field(() => StoreContact, { nullable: true })
  @Column({ type: 'jsonb', nullable: true })
  contact: StoreContact | null;

  @Public()
  @Field(() => [String])
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags: string[];

  @Field(() => Date, { nullable: true })
  @Column({ name: 'archived_at', type: 'timestamptz', nullable: true })
  archivedAt: Date | null;

  @Field(() => Date)
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date)
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
