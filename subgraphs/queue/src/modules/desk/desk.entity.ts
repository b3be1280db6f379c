import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@ObjectType({ description: 'A desk (service point) where staff call and serve visitors' })
@Entity({ name: 'desk' })
export class Desk {
  @Field(() => ID)
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Field(() => ID)
  @Column({ name: 'store_id', type: 'uuid' })
  storeId: string;

  @Field(() => String)
  @Column({ type: 'text' })
  name: string;

  @Field(() => [ID], { description: 'Lines this desk serves; empty: every line of its store' })
  @Column({ name: 'line_ids', type: 'uuid', array: true })
  lineIds: string[];

  @Field(() => ID, { nullable: true, description: 'The staff member working at the desk now, if any' })
  @Column({ name: 'staff_user_id', type: 'text', nullable: true })
  staffUserId: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'staffed_at', type: 'timestamptz', nullable: true })
  staffedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'archived_at', type: 'timestamptz', nullable: true })
  archivedAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
