import type { SealedSecret } from '@phub/kit';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { AemErrorCode } from '../../aem/aem.errors.js';
import { CircuitState } from '../../aem/circuit-breaker.js';

export enum AemAuthKind {
  NONE = 'NONE',
  BASIC = 'BASIC',
  BEARER = 'BEARER',
  SERVICE_CREDENTIALS = 'SERVICE_CREDENTIALS',
}
registerEnumType(AemAuthKind, {
  name: 'AemAuthKind',
  valuesConfig: {
    NONE: { description: 'Anonymous reads (a publish service that serves them)' },
    BASIC: { description: 'HTTP basic with a local AEM user (AEM 6.5)' },
    BEARER: { description: 'A fixed bearer token (an AEM as a Cloud Service local development token)' },
    SERVICE_CREDENTIALS: {
      description: 'AEM as a Cloud Service service credentials (Developer Console JSON), exchanged for access tokens',
    },
  },
});

export enum AemSourceStatus {
  /** No read yet. */
  UNKNOWN = 'UNKNOWN',
  OK = 'OK',
  /** The last read failed (see lastErrorCode). */
  FAILING = 'FAILING',
}
registerEnumType(AemSourceStatus, { name: 'AemSourceStatus' });

@ObjectType({ description: 'How reads from an AEM source went lately; kept by every read, the sync job’s too' })
export class AemSourceHealth {
  @Field(() => AemSourceStatus)
  status: AemSourceStatus;

  @Field(() => Date, { nullable: true })
  lastSuccessAt: Date | null;

  @Field(() => Date, { nullable: true })
  lastErrorAt: Date | null;

  @Field(() => AemErrorCode, { nullable: true, description: 'Why the last failed read failed (a stable code)' })
  lastErrorCode: AemErrorCode | null;

  @Field(() => String, { nullable: true })
  lastErrorMessage: string | null;

  @Field(() => CircuitState, { description: 'OPEN: reads fail fast until the breaker lets a trial through' })
  circuitState: CircuitState;

  @Field(() => Int, { description: 'Failed reads since the last success' })
  consecutiveFailures: number;
}

@ObjectType({ description: 'An AEM author or publish service HQ takes content from; its secret is never returned' })
@Directive('@key(fields: "id")')
@Entity({ name: 'aem_source' })
export class AemSource {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Field(() => String)
  @Column({ type: 'text' })
  name: string;

  @Field(() => String, { description: 'e.g. https://author-p123-e456.adobeaemcloud.com' })
  @Column({ name: 'base_url', type: 'text' })
  baseUrl: string;

  @Field(() => AemAuthKind)
  @Column({ name: 'auth_kind', type: 'text' })
  authKind: AemAuthKind;

  @Field(() => String, { nullable: true, description: 'BASIC: the AEM user' })
  @Column({ type: 'text', nullable: true })
  username: string | null;

  /** The password, token or service credentials, sealed with the envelope key (context: the row's id). */
  @Column({ type: 'jsonb', nullable: true })
  secret: SealedSecret | null;

  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  @Column({ name: 'last_success_at', type: 'timestamptz', nullable: true })
  lastSuccessAt: Date | null;

  @Column({ name: 'last_error_at', type: 'timestamptz', nullable: true })
  lastErrorAt: Date | null;

  @Column({ name: 'last_error_code', type: 'text', nullable: true })
  lastErrorCode: AemErrorCode | null;

  @Column({ name: 'last_error_message', type: 'text', nullable: true })
  lastErrorMessage: string | null;

  @Column({ name: 'circuit_state', type: 'text', default: CircuitState.CLOSED })
  circuitState: CircuitState;

  @Column({ name: 'consecutive_failures', type: 'integer', default: 0 })
  consecutiveFailures: number;

  @Field(() => Date)
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date)
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
