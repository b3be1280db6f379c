import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Security events worth a trail. */
export enum AuditEventType {
  LOGIN_SUCCEEDED = 'LOGIN_SUCCEEDED',
  LOGIN_FAILED = 'LOGIN_FAILED',
  LOGIN_RATE_LIMITED = 'LOGIN_RATE_LIMITED',
  TOKEN_REFRESHED = 'TOKEN_REFRESHED',
  REFRESH_TOKEN_REUSED = 'REFRESH_TOKEN_REUSED',
  SESSION_REVOKED = 'SESSION_REVOKED',
  TOKEN_REVOKED = 'TOKEN_REVOKED',
  USER_CREATED = 'USER_CREATED',
  INVITATION_ACCEPTED = 'INVITATION_ACCEPTED',
  USER_ROLES_CHANGED = 'USER_ROLES_CHANGED',
  USER_DEACTIVATED = 'USER_DEACTIVATED',
  USER_REACTIVATED = 'USER_REACTIVATED',
  PASSWORD_CHANGED = 'PASSWORD_CHANGED',
  TENANT_UPDATED = 'TENANT_UPDATED',
  API_CLIENT_CREATED = 'API_CLIENT_CREATED',
  API_CLIENT_SCOPES_CHANGED = 'API_CLIENT_SCOPES_CHANGED',
  API_CLIENT_REVOKED = 'API_CLIENT_REVOKED',
  CLIENT_TOKEN_ISSUED = 'CLIENT_TOKEN_ISSUED',
  CLIENT_AUTH_FAILED = 'CLIENT_AUTH_FAILED',
  TRUSTED_DOCUMENTS_REGISTERED = 'TRUSTED_DOCUMENTS_REGISTERED',
  TRUSTED_DOCUMENTS_REMOVED = 'TRUSTED_DOCUMENTS_REMOVED',
  PAIRING_REQUESTED = 'PAIRING_REQUESTED',
  PAIRING_CLAIMED = 'PAIRING_CLAIMED',
  DEVICE_PAIRED = 'DEVICE_PAIRED',
  DEVICE_REVOKED = 'DEVICE_REVOKED',
  SIGNING_KEY_ROTATED = 'SIGNING_KEY_ROTATED',
  JOB_RUN_RETRIED = 'JOB_RUN_RETRIED',
  // Operational actions recorded by the campaign domain (audit.action.v1).
  CAMPAIGN_APPROVED = 'CAMPAIGN_APPROVED',
  CAMPAIGN_REJECTED = 'CAMPAIGN_REJECTED',
  CAMPAIGN_REVISION_APPROVED = 'CAMPAIGN_REVISION_APPROVED',
  CAMPAIGN_REVISION_REJECTED = 'CAMPAIGN_REVISION_REJECTED',
  CAMPAIGN_PAUSED = 'CAMPAIGN_PAUSED',
  CAMPAIGN_RESUMED = 'CAMPAIGN_RESUMED',
  CAMPAIGN_STORE_PAUSED = 'CAMPAIGN_STORE_PAUSED',
  CAMPAIGN_STORE_RESUMED = 'CAMPAIGN_STORE_RESUMED',
  DISPLAY_OVERRIDE_SET = 'DISPLAY_OVERRIDE_SET',
  DISPLAY_OVERRIDE_CLEARED = 'DISPLAY_OVERRIDE_CLEARED',
  STORE_TAKEOVER_STARTED = 'STORE_TAKEOVER_STARTED',
  STORE_TAKEOVER_LIFTED = 'STORE_TAKEOVER_LIFTED',
}
registerEnumType(AuditEventType, {
  name: 'AuditEventType',
  description: 'Kinds of audited event: security events, and approvals, pauses, overrides and takeovers',
});

export enum AuditPartyType {
  USER = 'USER',
  API_CLIENT = 'API_CLIENT',
  DEVICE = 'DEVICE',
  DISPLAY = 'DISPLAY',
  SESSION = 'SESSION',
  SIGNING_KEY = 'SIGNING_KEY',
  TENANT = 'TENANT',
  PAIRING = 'PAIRING',
  SYSTEM = 'SYSTEM',
  JOB_RUN = 'JOB_RUN',
  CAMPAIGN = 'CAMPAIGN',
  STORE = 'STORE',
  OVERRIDE = 'OVERRIDE',
  TAKEOVER = 'TAKEOVER',
}
registerEnumType(AuditPartyType, { name: 'AuditPartyType', description: 'Who acted, or what was acted on' });

@ObjectType({
  description: 'An audited event in the tenant: a login, a role change, a campaign approval or pause, an override…',
})
@Entity({ name: 'audit_event' })
export class AuditEvent {
  @Field(() => ID)
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid', nullable: true })
  tenantId: string | null;

  @Field(() => AuditEventType)
  @Column({ type: 'text' })
  type: AuditEventType;

  @Field(() => AuditPartyType, { nullable: true })
  @Column({ name: 'actor_type', type: 'text', nullable: true })
  actorType: AuditPartyType | null;

  @Field(() => String, { nullable: true, description: 'User, API client or display id' })
  @Column({ name: 'actor_id', type: 'text', nullable: true })
  actorId: string | null;

  @Field(() => AuditPartyType, { nullable: true })
  @Column({ name: 'subject_type', type: 'text', nullable: true })
  subjectType: AuditPartyType | null;

  @Field(() => String, { nullable: true })
  @Column({ name: 'subject_id', type: 'text', nullable: true })
  subjectId: string | null;

  @Field(() => String, { nullable: true })
  @Column({ name: 'client_ip', type: 'text', nullable: true })
  clientIp: string | null;

  @Field(() => GraphQLJSONObject, { description: 'Event-specific facts, never secrets' })
  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  details: Record<string, unknown>;

  @Field(() => Date)
  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  /** The producer's event id of an entry another domain handed over (recorded once). */
  @Column({ name: 'source_event_id', type: 'uuid', nullable: true })
  sourceEventId: string | null;
}
