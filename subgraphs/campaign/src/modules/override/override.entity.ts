import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@ObjectType({ description: 'An emergency override: while active, the display plays only this creative' })
@Entity({ name: 'display_override' })
@Index(['tenantId', 'displayId'])
export class DisplayOverride {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Field(() => ID)
  @Column({ name: 'display_id', type: 'uuid' })
  displayId: string;

  @Field(() => ID)
  @Column({ name: 'store_id', type: 'uuid' })
  storeId: string;

  @Field(() => ID)
  @Column({ name: 'creative_id', type: 'uuid' })
  creativeId: string;

  @Field(() => ID, { nullable: true, description: 'The campaign the creative belongs to, for proof of play' })
  @Column({ name: 'campaign_id', type: 'uuid', nullable: true })
  campaignId: string | null;

  @Field(() => Date, { description: 'Inclusive' })
  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt: Date;

  @Field(() => Date, { description: 'Exclusive' })
  @Column({ type: 'timestamptz' })
  until: Date;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Field(() => ID)
  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  @Field(() => Date)
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'cleared_at', type: 'timestamptz', nullable: true })
  clearedAt: Date | null;

  @Field(() => ID, { nullable: true })
  @Column({ name: 'cleared_by', type: 'text', nullable: true })
  clearedBy: string | null;
}
