import { Public } from '@phub/kit';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export enum Orientation {
  LANDSCAPE = 'LANDSCAPE',
  PORTRAIT = 'PORTRAIT',
}
registerEnumType(Orientation, { name: 'Orientation' });

@Public()
@ObjectType()
export class Resolution {
  @Field(() => Int)
  width: number;

  @Field(() => Int)
  height: number;
}

@ObjectType({ description: 'A screen in a store' })
@Directive('@key(fields: "id")')
@Entity({ name: 'display' })
@Index(['tenantId', 'storeId'])
export class Display {
  @Public()
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'store_id', type: 'uuid' })
  storeId: string;

  @Column({ name: 'zone_id', type: 'uuid', nullable: true })
  zoneId: string | null;

  @Public()
  @Field(() => String)
  @Column({ type: 'text' })
  name: string;

  @Public()
  @Field(() => Orientation)
  @Column({ type: 'text' })
  orientation: Orientation;

  @Public()
  @Field(() => Resolution)
  @Column({ type: 'jsonb' })
  resolution: Resolution;

  @Public()
  @Field(() => [String])
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags: string[];

  @Public()
  @Field(() => String, { nullable: true, description: 'Where in the store, e.g. "entrance, left wall"' })
  @Column({ type: 'text', nullable: true })
  placement: string | null;

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
