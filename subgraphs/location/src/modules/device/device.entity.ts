import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export enum DeviceKind {
  TABLET = 'TABLET',
  SENSOR = 'SENSOR',
  BEACON = 'BEACON',
}
registerEnumType(DeviceKind, { name: 'DeviceKind' });

@ObjectType({ description: 'In-store hardware other than screens: tablets, sensors, beacons' })
@Entity({ name: 'device' })
@Index(['tenantId', 'storeId'])
@Index(['tenantId', 'serial'], { unique: true })
export class Device {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'store_id', type: 'uuid' })
  storeId: string;

  @Column({ name: 'zone_id', type: 'uuid', nullable: true })
  zoneId: string | null;

  @Field(() => DeviceKind)
  @Column({ type: 'text' })
  kind: DeviceKind;

  @Field(() => String)
  @Column({ type: 'text' })
  name: string;

  @Field(() => String, { description: 'Hardware serial or MAC, unique within the tenant' })
  @Column({ type: 'text' })
  serial: string;

  @Field(() => [String])
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags: string[];

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
