import { registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * An HTTPS endpoint of a partner (or the tenant's own system) that receives one family's events: the whole
 * tenant's, or one store's. Rows live in the adopting subgraph's own schema (`webhook_endpoint`).
 */
@Entity({ name: 'webhook_endpoint' })
export class WebhookEndpointRecord {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  /** Only this store's events; null: every store's, and the tenant-wide events. */
  @Column({ name: 'store_id', type: 'uuid', nullable: true })
  storeId: string | null;

  @Column({ type: 'text' })
  url: string;

  /** Names of the family's events it receives. */
  @Column({ type: 'text', array: true })
  events: string[];

  @Column({ type: 'text', nullable: true })
  description: string | null;

  /** The signing secret, sealed (`WebhookSecrets`); shown once, when the endpoint is created. */
  @Column({ type: 'text' })
  secret: string;

  /** Inactive endpoints receive nothing (pending deliveries fail). */
  @Column({ type: 'boolean' })
  active: boolean;

  /** Who registered it: a user id, or a partner's client id (a partner sees only its own endpoints). */
  @Column({ name: 'created_by', type: 'text', nullable: true })
  createdBy: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

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

/** One event to one endpoint: the frozen body, then the outcome of its attempts (`webhook_delivery`). */
@Entity({ name: 'webhook_delivery' })
export class WebhookDeliveryRecord {
  /** Also sent as the Phub-Delivery header. */
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'endpoint_id', type: 'uuid' })
  endpointId: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  /** The event's store; null for a tenant-wide event (a campaign for every store). */
  @Column({ name: 'store_id', type: 'uuid', nullable: true })
  storeId: string | null;

  /** The same for every endpoint and every redelivery: receivers deduplicate by it. */
  @Column({ name: 'event_id', type: 'uuid' })
  eventId: string;

  @Column({ type: 'text' })
  event: string;

  /** What the event is about (a ticket, a campaign, a display). */
  @Column({ name: 'subject_id', type: 'uuid' })
  subjectId: string;

  /** The JSON body, frozen when the event happened. */
  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ type: 'text' })
  status: WebhookDeliveryStatus;

  @Column({ type: 'integer' })
  attempts: number;

  @Column({ name: 'last_status_code', type: 'integer', nullable: true })
  lastStatusCode: number | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt: Date;

  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true })
  lastAttemptAt: Date | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;

  @Column({ name: 'failed_at', type: 'timestamptz', nullable: true })
  failedAt: Date | null;

  /** A redelivery names the logged delivery it repeats. */
  @Column({ name: 'redelivery_of', type: 'uuid', nullable: true })
  redeliveryOf: string | null;
}
