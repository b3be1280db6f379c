import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TicketActionKind } from '../ticket/ticket.entity.js';

@ObjectType({ description: 'An HTTPS endpoint of a partner that receives the tenant’s (or one store’s) ticket events' })
@Entity({ name: 'webhook_endpoint' })
export class WebhookEndpoint {
  @Field(() => ID)
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Field(() => ID, { nullable: true, description: 'Only this store’s events; null: every store of the tenant' })
  @Column({ name: 'store_id', type: 'uuid', nullable: true })
  storeId: string | null;

  @Field(() => String)
  @Column({ type: 'text' })
  url: string;

  @Field(() => [TicketActionKind], { description: 'The ticket events it receives' })
  @Column({ type: 'text', array: true })
  events: TicketActionKind[];

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  description: string | null;

  /** The signing secret, sealed; shown once, when the endpoint is created. */
  @Column({ type: 'text' })
  secret: string;

  @Field(() => Boolean, { description: 'Inactive endpoints receive nothing (pending deliveries fail)' })
  @Column({ type: 'boolean' })
  active: boolean;

  @Field(() => String, { nullable: true, description: 'Who registered it (a user id)' })
  @Column({ name: 'created_by', type: 'text', nullable: true })
  createdBy: string | null;

  @Field(() => Date)
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date)
  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
}
registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description:
    'PENDING: not delivered yet (retried with backoff: see attempts and lastError); DELIVERED: the endpoint answered 2xx; FAILED: given up',
});

@ObjectType({ description: 'One ticket event to one endpoint, with the outcome of its attempts' })
@Entity({ name: 'webhook_delivery' })
export class WebhookDelivery {
  @Field(() => ID, { description: 'Also sent as the Phub-Delivery header' })
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Field(() => ID)
  @Column({ name: 'endpoint_id', type: 'uuid' })
  endpointId: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Field(() => ID)
  @Column({ name: 'store_id', type: 'uuid' })
  storeId: string;

  @Field(() => ID, { description: 'The event’s id (the same for every endpoint); receivers deduplicate by it' })
  @Column({ name: 'event_id', type: 'uuid' })
  eventId: string;

  @Field(() => TicketActionKind)
  @Column({ type: 'text' })
  event: TicketActionKind;

  @Field(() => ID)
  @Column({ name: 'ticket_id', type: 'uuid' })
  ticketId: string;

  /** The JSON body, frozen when the event happened. */
  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Field(() => WebhookDeliveryStatus)
  @Column({ type: 'text' })
  status: WebhookDeliveryStatus;

  @Field(() => Int)
  @Column({ type: 'integer' })
  attempts: number;

  @Field(() => Int, { nullable: true, description: 'HTTP status of the last answer; null when none came' })
  @Column({ name: 'last_status_code', type: 'integer', nullable: true })
  lastStatusCode: number | null;

  @Field(() => String, { nullable: true })
  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Field(() => Date)
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'When it is tried next; meaningful while PENDING' })
  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true })
  lastAttemptAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'failed_at', type: 'timestamptz', nullable: true })
  failedAt: Date | null;
}
