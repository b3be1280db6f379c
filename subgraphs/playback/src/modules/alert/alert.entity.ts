import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export enum AlertKind {
  OFFLINE = 'OFFLINE',
  NOT_PLAYING_EXPECTED = 'NOT_PLAYING_EXPECTED',
  STALE_CONTENT = 'STALE_CONTENT',
}
registerEnumType(AlertKind, { name: 'AlertKind', description: 'What is wrong with a display' });

export enum AlertState {
  RAISED = 'RAISED',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  RESOLVED = 'RESOLVED',
}
registerEnumType(AlertState, {
  name: 'AlertState',
  description: 'RAISED → ACKNOWLEDGED (by a person) → RESOLVED (when the condition clears)',
});

@ObjectType({ description: 'A display health alert' })
@Entity({ name: 'alert' })
export class Alert {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Field(() => ID)
  @Column({ name: 'store_id', type: 'uuid' })
  storeId: string;

  @Field(() => ID)
  @Column({ name: 'display_id', type: 'uuid' })
  displayId: string;

  @Field(() => AlertKind)
  @Column({ type: 'text' })
  kind: AlertKind;

  @Field(() => AlertState)
  @Column({ type: 'text' })
  state: AlertState;

  @Field(() => String)
  @Column({ type: 'text' })
  message: string;

  @Field(() => Date)
  @Column({ name: 'raised_at', type: 'timestamptz' })
  raisedAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true })
  acknowledgedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Subject (user id) of who acknowledged it' })
  @Column({ name: 'acknowledged_by', type: 'text', nullable: true })
  acknowledgedBy: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;
}
