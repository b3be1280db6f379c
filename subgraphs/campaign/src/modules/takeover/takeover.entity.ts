import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@ObjectType({
  description:
    'An emergency takeover of a store: while active, every display of the store plays only its message or creative',
})
@Entity({ name: 'store_takeover' })
@Index(['tenantId', 'storeId'])
export class StoreTakeover {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Field(() => ID)
  @Column({ name: 'store_id', type: 'uuid' })
  storeId: string;

  @Field(() => ID, { nullable: true, description: 'The creative every display plays (null for a message)' })
  @Column({ name: 'creative_id', type: 'uuid', nullable: true })
  creativeId: string | null;

  @Field(() => String, { nullable: true, description: 'The text every display shows (null for a creative)' })
  @Column({ type: 'text', nullable: true })
  message: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Field(() => ID, { description: 'Who started it' })
  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  @Field(() => Date, { description: 'When it started: displays switched at once' })
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => ID, { nullable: true, description: 'Who lifted it' })
  @Column({ name: 'lifted_by', type: 'text', nullable: true })
  liftedBy: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was lifted; null while active' })
  @Column({ name: 'lifted_at', type: 'timestamptz', nullable: true })
  liftedAt: Date | null;
}
