import { Public } from '@phub/kit';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@ObjectType({ description: 'A group of stores, e.g. a country or a sales area' })
@Directive('@key(fields: "id")')
@Entity({ name: 'region' })
@Index(['tenantId', 'code'], { unique: true })
export class Region {
  @Public()
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Public()
  @Field(() => String)
  @Column({ type: 'text' })
  name: string;

  @Public()
  @Field(() => String, { description: 'Short code, unique within the tenant' })
  @Column({ type: 'text' })
  code: string;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'archived_at', type: 'timestamptz', nullable: true })
  archivedAt: Date | null;

  @Field(() => Date)
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date)
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
