import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export enum SmsKind {
  NEXT = 'NEXT',
  CALLED = 'CALLED',
  REMINDER = 'REMINDER',
}
registerEnumType(SmsKind, {
  name: 'SmsKind',
  description:
    'NEXT: "you are next" (the ticket became first among its line’s waiting tickets); CALLED: "it is your turn", with the desk; REMINDER: an appointment reminder',
});

export enum SmsStatus {
  QUEUED = 'QUEUED',
  SENT = 'SENT',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(SmsStatus, {
  name: 'SmsStatus',
  description:
    'QUEUED: waiting to be sent (or retried: see attempts and lastError); SENT: accepted by SNS, or kept in the outbox; FAILED: given up (lastError says why); CANCELLED: no longer relevant when its turn came',
});

export enum SmsTransportName {
  SNS = 'SNS',
  OUTBOX = 'OUTBOX',
}
registerEnumType(SmsTransportName, {
  name: 'SmsTransport',
  description: 'SNS: handed to Amazon SNS; OUTBOX: SNS is not configured, so the message is only kept here',
});

@ObjectType({ description: 'An SMS to a visitor, with its delivery status (the queue’s sent-message outbox)' })
@Entity({ name: 'sms_message' })
export class SmsMessage {
  @Field(() => ID)
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Field(() => ID)
  @Column({ name: 'store_id', type: 'uuid' })
  storeId: string;

  @Field(() => ID, { nullable: true })
  @Column({ name: 'ticket_id', type: 'uuid', nullable: true })
  ticketId: string | null;

  @Field(() => SmsKind)
  @Column({ type: 'text' })
  kind: SmsKind;

  @Field(() => String, { nullable: true, description: 'The caller’s reference of a reminder (e.g. an appointment id)' })
  @Column({ type: 'text', nullable: true })
  reference: string | null;

  /** The phone number, sealed like every visitor's personal data. */
  @Column({ type: 'text' })
  recipient: string;

  @Field(() => String, { name: 'recipient', description: 'The phone number, masked (+44••••••123)' })
  @Column({ name: 'recipient_masked', type: 'text' })
  recipientMasked: string;

  @Field(() => String)
  @Column({ type: 'text' })
  body: string;

  @Field(() => SmsStatus)
  @Column({ type: 'text' })
  status: SmsStatus;

  @Field(() => SmsTransportName, { nullable: true, description: 'Set once sent' })
  @Column({ type: 'text', nullable: true })
  transport: SmsTransportName | null;

  @Field(() => String, { nullable: true, description: 'SNS’s MessageId once SNS accepted it' })
  @Column({ name: 'provider_message_id', type: 'text', nullable: true })
  providerMessageId: string | null;

  @Field(() => Int)
  @Column({ type: 'integer' })
  attempts: number;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed (or why it was cancelled)' })
  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Field(() => Date)
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date, { description: 'Not sent before this (reminders are queued ahead of time)' })
  @Column({ name: 'send_after', type: 'timestamptz' })
  sendAfter: Date;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'failed_at', type: 'timestamptz', nullable: true })
  failedAt: Date | null;
}
