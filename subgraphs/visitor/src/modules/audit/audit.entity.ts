import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export enum AuditAction {
  /** Personal fields of a profile were read (`fields` names them). */
  READ = 'READ',
  /** A check-in card (name, badges, notes) was shown to store staff. */
  READ_CHECK_IN_CARD = 'READ_CHECK_IN_CARD',
  EXPORT = 'EXPORT',
  ERASE = 'ERASE',
  /** Erased by the retention job (inactive). */
  EXPIRE = 'EXPIRE',
  MERGE = 'MERGE',
  CHECK_IN = 'CHECK_IN',
  NOTE = 'NOTE',
  CONSENT = 'CONSENT',
  IMPORT = 'IMPORT',
}
registerEnumType(AuditAction, { name: 'VisitorAuditAction' });

@ObjectType({ description: 'Who read or changed which personal data of which visitor, and when' })
@Entity({ name: 'audit' })
export class VisitorAuditEntry {
  @Field(() => ID)
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Field(() => String, { description: 'user, partner, kiosk or system' })
  @Column({ name: 'actor_kind', type: 'text' })
  actorKind: string;

  @Field(() => String, { nullable: true, description: 'The user, API client or kiosk id' })
  @Column({ name: 'actor_id', type: 'text', nullable: true })
  actorId: string | null;

  @Field(() => AuditAction)
  @Column({ type: 'text' })
  action: AuditAction;

  @Field(() => ID, { nullable: true })
  @Column({ name: 'profile_id', type: 'uuid', nullable: true })
  visitorId: string | null;

  @Field(() => ID, { nullable: true })
  @Column({ name: 'store_id', type: 'uuid', nullable: true })
  storeId: string | null;

  @Field(() => [String], { description: 'Personal fields read or written' })
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  fields: string[];

  @Field(() => Date)
  @Column({ type: 'timestamptz' })
  at: Date;
}
