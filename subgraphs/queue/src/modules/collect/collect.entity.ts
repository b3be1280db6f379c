import { Public } from '@phub/kit';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export enum CollectOrderState {
  READY = 'READY',
  CHECKED_IN = 'CHECKED_IN',
  COLLECTED = 'COLLECTED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(CollectOrderState, {
  name: 'CollectOrderState',
  description: 'READY to collect → CHECKED_IN (a ticket on the collect line) → COLLECTED; or CANCELLED',
});

@ObjectType({ description: 'A Click&Collect order waiting for its customer in a store' })
@Entity({ name: 'collect_order' })
export class CollectOrder {
  @Public()
  @Field(() => ID)
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Public()
  @Field(() => ID)
  @Column({ name: 'store_id', type: 'uuid' })
  storeId: string;

  @Public()
  @Field(() => ID, { description: 'The collect line its ticket goes to' })
  @Column({ name: 'line_id', type: 'uuid' })
  lineId: string;

  @Public()
  @Field(() => String, { description: 'The partner’s own order reference, unique per store' })
  @Column({ type: 'text' })
  reference: string;

  @Public()
  @Field(() => CollectOrderState)
  @Column({ type: 'text' })
  state: CollectOrderState;

  // Personal fields, sealed like tickets' (personal-data.ts).
  @Column({ name: 'customer_name', type: 'text', nullable: true })
  customerName: string | null;

  @Column({ name: 'customer_phone', type: 'text', nullable: true })
  customerPhone: string | null;

  @Column({ name: 'phone_hash', type: 'text', nullable: true })
  phoneHash: string | null;

  @Column({ name: 'code_hash', type: 'text' })
  codeHash: string;

  @Public()
  @Field(() => ID, { nullable: true, description: 'The ticket check-in issued' })
  @Column({ name: 'ticket_id', type: 'uuid', nullable: true })
  ticketId: string | null;

  @Column({ name: 'created_by_kind', type: 'text' })
  createdByKind: string;

  @Column({ name: 'created_by_id', type: 'text', nullable: true })
  createdById: string | null;

  @Public()
  @Field(() => Date)
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Public()
  @Field(() => Date, { nullable: true })
  @Column({ name: 'checked_in_at', type: 'timestamptz', nullable: true })
  checkedInAt: Date | null;

  @Public()
  @Field(() => Date, { nullable: true })
  @Column({ name: 'collected_at', type: 'timestamptz', nullable: true })
  collectedAt: Date | null;

  @Public()
  @Field(() => Date, { nullable: true })
  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;

  @Public()
  @Field(() => Date)
  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Public()
@ObjectType({ description: 'A collect order just created, with the code its customer checks in with (shown once)' })
export class CreatedCollectOrder {
  @Field(() => CollectOrder)
  order: CollectOrder;

  @Field(() => String, { description: 'Typed at the kiosk or on the phone; send it to the customer' })
  code: string;

  @Field(() => String, { description: 'What a QR code for the customer should hold' })
  qrPayload: string;
}
