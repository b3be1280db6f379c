import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export enum ZoneKind {
  ENTRANCE = 'ENTRANCE',
  WINDOW = 'WINDOW',
  AISLE = 'AISLE',
  COUNTER = 'COUNTER',
  QUEUE = 'QUEUE',
  OTHER = 'OTHER',
}
registerEnumType(ZoneKind, { name: 'ZoneKind' });

@ObjectType({ description: 'An area of a store that displays and beacons belong to' })
@Directive('@key(fields: "id")')
@Entity({ name: 'zone' })
@Index(['tenantId', 'storeId'])
export class Zone {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'store_id', type: 'uuid' })
  storeId: string;

  @Field(() => String)
  @Column({ type: 'text' })
  name: string;

  @Field(() => ZoneKind)
  @Column({ type: 'text' })
  kind: ZoneKind;

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
