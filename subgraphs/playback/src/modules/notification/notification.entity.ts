import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

@ObjectType({ description: 'Who hears about display alerts in a tenant' })
@Entity({ name: 'notification_settings' })
export class NotificationSettings {
  @PrimaryColumn({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Field(() => [String])
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  emails: string[];

  @Field(() => [String], { description: 'E.164 phone numbers for SMS' })
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  phones: string[];

  @Field(() => Date)
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}

@ObjectType({ description: 'A notification as sent (SNS) or kept in the outbox table when SNS is not configured' })
@Entity({ name: 'sent_message' })
export class SentMessage {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Field(() => String, { description: 'EMAIL or SMS' })
  @Column({ type: 'text' })
  channel: string;

  @Field(() => String)
  @Column({ type: 'text' })
  recipient: string;

  @Field(() => String)
  @Column({ type: 'text' })
  subject: string;

  @Field(() => String)
  @Column({ type: 'text' })
  body: string;

  @Field(() => String, { description: 'SNS, or OUTBOX when SNS is not configured' })
  @Column({ type: 'text' })
  transport: string;

  @Field(() => ID, { nullable: true })
  @Column({ name: 'alert_id', type: 'uuid', nullable: true })
  alertId: string | null;

  /** Sortable text key (ISO instant) for keyset pagination. */
  @Column({ name: 'sent_key', type: 'text' })
  sentKey: string;

  @Field(() => Date)
  @Column({ name: 'sent_at', type: 'timestamptz' })
  sentAt: Date;
}
