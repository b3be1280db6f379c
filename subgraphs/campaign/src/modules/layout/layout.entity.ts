import { Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** What a region of a layout shows. */
export enum LayoutRegionKind {
  CONTENT = 'CONTENT',
  TICKER = 'TICKER',
  QUEUE_BOARD = 'QUEUE_BOARD',
}
registerEnumType(LayoutRegionKind, {
  name: 'LayoutRegionKind',
  description:
    'CONTENT plays its own playlist (campaigns targeting the region by name; the first CONTENT region also plays every campaign that names none), TICKER scrolls its text, QUEUE_BOARD shows the store’s “now serving” board',
});

/** A region as stored (jsonb on the layout row). */
export interface StoredRegion {
  name: string;
  kind: `${LayoutRegionKind}`;
  x: number;
  y: number;
  width: number;
  height: number;
  text: string | null;
}

@ObjectType({ description: 'A rectangle of the screen, in percent of its width and height from the top left' })
export class LayoutRegion {
  @Field(() => String, { description: 'Lower-case name campaigns target (targeting.layoutRegion)' })
  name: string;

  @Field(() => LayoutRegionKind)
  kind: LayoutRegionKind;

  @Field(() => Float)
  x: number;

  @Field(() => Float)
  y: number;

  @Field(() => Float)
  width: number;

  @Field(() => Float)
  height: number;

  @Field(() => String, { nullable: true, description: 'The text a TICKER region scrolls' })
  text: string | null;

  @Field(() => Boolean, { description: 'The first CONTENT region: plays the campaigns that name no region' })
  main: boolean;
}

@ObjectType({ description: 'How a display’s screen is split into regions, each playing its own content' })
@Entity({ name: 'layout' })
@Index(['tenantId', 'name'], { unique: true })
export class Layout {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Field(() => String)
  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'jsonb' })
  regions: StoredRegion[];

  @Field(() => ID)
  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  @Field(() => Date)
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date)
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** Which layout a display plays; a display without a row plays full screen, as before layouts. */
@Entity({ name: 'display_layout' })
@Index(['tenantId', 'layoutId'])
export class DisplayLayout {
  @PrimaryColumn({ name: 'display_id', type: 'uuid' })
  displayId: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'layout_id', type: 'uuid' })
  layoutId: string;

  @Column({ name: 'assigned_by', type: 'text' })
  assignedBy: string;

  @CreateDateColumn({ name: 'assigned_at', type: 'timestamptz' })
  assignedAt: Date;
}
