import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@ObjectType({ description: 'How a tenant reviews campaigns' })
@Entity({ name: 'campaign_settings' })
export class CampaignSettings {
  @PrimaryColumn({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Field(() => Boolean, { description: 'Every submitted campaign is approved and goes live without an HQ admin' })
  @Column({ name: 'auto_approve', type: 'boolean', default: false })
  autoApprove: boolean;

  @Field(() => Boolean, {
    description: 'Store-local campaigns (a store manager’s own displays) are approved and go live on submit',
  })
  @Column({ name: 'auto_approve_store_local', type: 'boolean', default: true })
  autoApproveStoreLocal: boolean;

  @Column({ name: 'updated_by', type: 'text', nullable: true })
  updatedBy: string | null;

  @Field(() => Date, { nullable: true })
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date | null;
}

/** What a tenant gets before an HQ admin changes anything. */
export const DEFAULT_SETTINGS = { autoApprove: false, autoApproveStoreLocal: true } as const;
