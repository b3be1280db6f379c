import { Public } from '@phub/kit';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ProfileCiphertext } from '../../personal-data.js';

export enum IdentifierKind {
  PHONE = 'PHONE',
  EMAIL = 'EMAIL',
  LOYALTY_ID = 'LOYALTY_ID',
  APP_ID = 'APP_ID',
  DEVICE_MAC_HASH = 'DEVICE_MAC_HASH',
}
registerEnumType(IdentifierKind, {
  name: 'VisitorIdentifierKind',
  description: 'How a visitor is recognised; two identifiers met together join their profiles into one',
});

export enum ConsentPurpose {
  PERSONALISED_SCREENS = 'PERSONALISED_SCREENS',
  SMS = 'SMS',
  ANALYTICS = 'ANALYTICS',
}
registerEnumType(ConsentPurpose, {
  name: 'ConsentPurpose',
  description:
    'PERSONALISED_SCREENS: their segments switch screens when they check in, and staff see their check-in card; ' +
    'SMS: messages; ANALYTICS: counted in behaviour segments',
});

export enum ProfileSource {
  CHECK_IN = 'CHECK_IN',
  IMPORT = 'IMPORT',
  CONSENT = 'CONSENT',
  DEMO = 'DEMO',
}
registerEnumType(ProfileSource, { name: 'VisitorProfileSource', description: 'How the profile first came to be' });

/**
 * A visitor profile: pseudonymous columns (a random id, counters, dates) and one sealed ciphertext of every
 * personal field (personal-data.ts). Merged profiles point at the one they joined; erased ones keep their
 * counters and an unreadable ciphertext.
 */
@ObjectType('Visitor', { description: 'A visitor profile (HQ admins only: opening one is audited)' })
@Entity({ name: 'profile' })
export class Profile {
  @Field(() => ID)
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Field(() => ProfileSource)
  @Column({ type: 'text' })
  source: ProfileSource;

  @Column({ type: 'jsonb', nullable: true })
  sealed: ProfileCiphertext | null;

  @Field(() => Int, { description: 'Check-ins recorded for this visitor' })
  @Column({ name: 'visit_count', type: 'integer', default: 0 })
  visitCount: number;

  @Column({ name: 'merged_into', type: 'uuid', nullable: true })
  mergedInto: string | null;

  @Field(() => Date, { nullable: true, description: 'When the profile was erased (its key destroyed)' })
  @Column({ name: 'erased_at', type: 'timestamptz', nullable: true })
  erasedAt: Date | null;

  @Field(() => Date)
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date, { description: 'Last check-in, import or consent change; retention counts from here' })
  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt: Date;
}

@ObjectType('VisitorIdentifier')
export class IdentifierView {
  @Field(() => IdentifierKind)
  kind: IdentifierKind;

  @Field(() => String)
  value: string;
}

@ObjectType('VisitorAttribute')
export class AttributeView {
  @Field(() => String)
  name: string;

  @Field(() => String)
  value: string;
}

@ObjectType('VisitorNote', { description: 'A note staff wrote at check-in' })
export class NoteView {
  @Field(() => String)
  text: string;

  @Field(() => ID)
  storeId: string;

  @Field(() => Date)
  at: Date;
}

@Public()
@ObjectType({ description: 'A consent as given or withdrawn, with when and through what' })
export class VisitorConsent {
  @Public()
  @Field(() => ConsentPurpose)
  purpose: ConsentPurpose;

  @Public()
  @Field(() => Boolean)
  granted: boolean;

  @Public()
  @Field(() => Date)
  at: Date;

  @Field(() => String, { description: 'Where it was given: CHECK_IN, IMPORT (a partner), STAFF, …' })
  source: string;
}
