import type { DataSource } from 'typeorm';
import type { Clock } from '@phub/kit';
import type { CampaignScope } from '../../scope.js';
import { isUuid } from '../../ids.js';
import { Campaign, CampaignStatus } from '../campaign/campaign.entity.js';
import type { CampaignService } from '../campaign/campaign.service.js';
import {
  CampaignLanding,
  CampaignLandingScan,
  CampaignOffer,
  CampaignOfferState,
  type CampaignScanDay,
} from './landing.entity.js';
import {
  landingCtaIncomplete,
  landingHeadlineEmpty,
  landingNotEditable,
  offerNotFound,
  scanRangeInvalid,
} from './landing.errors.js';
import type { SetCampaignLandingInput } from './landing.input.js';

// Before approval the page is part of what reviewers approve; after it, changing the offer would bypass review.
const LANDING_EDITABLE: readonly CampaignStatus[] = [CampaignStatus.DRAFT, CampaignStatus.IN_REVIEW];

export function offerState(status: CampaignStatus): CampaignOfferState | null {
  switch (status) {
    case CampaignStatus.LIVE:
    case CampaignStatus.PAUSED:
      return CampaignOfferState.AVAILABLE;
    case CampaignStatus.APPROVED:
      return CampaignOfferState.UPCOMING;
    case CampaignStatus.ENDED:
    case CampaignStatus.ARCHIVED:
      return CampaignOfferState.ENDED;
    default:
      return null;
  }
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Campaign landing pages (Campaign-Sites): set by whoever may edit the campaign, read and scanned by anyone. */
export class LandingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly campaigns: CampaignService,
    private readonly clock: Clock,
  ) {}

  async set(scope: CampaignScope, input: SetCampaignLandingInput): Promise<CampaignLanding> {
    const campaign = await this.campaigns.get(scope, input.campaignId);
    scope.assertCanEdit(campaign);
    if (!LANDING_EDITABLE.includes(campaign.status)) throw landingNotEditable(campaign.status);
    const headline = input.headline.trim();
    if (!headline) throw landingHeadlineEmpty();
    const ctaLabel = input.ctaLabel?.trim() || null;
    const ctaUrl = input.ctaUrl?.trim() || null;
    if (!ctaLabel !== !ctaUrl) throw landingCtaIncomplete();
    const landing = this.dataSource.manager.create(CampaignLanding, {
      campaignId: campaign.id,
      tenantId: campaign.tenantId,
      headline,
      body: input.body?.trim() || null,
      ctaLabel,
      ctaUrl,
      updatedAt: new Date(this.clock.now()),
      updatedBy: scope.subject,
    });
    return this.dataSource.manager.save(landing);
  }

  async clear(scope: CampaignScope, campaignId: string): Promise<boolean> {
    const campaign = await this.campaigns.get(scope, campaignId);
    scope.assertCanEdit(campaign);
    if (!LANDING_EDITABLE.includes(campaign.status)) throw landingNotEditable(campaign.status);
    const res = await this.dataSource.manager.delete(CampaignLanding, { campaignId: campaign.id });
    return (res.affected ?? 0) > 0;
  }

  /** For campaigns the caller already sees (the Campaign field). */
  forCampaign(campaign: Pick<Campaign, 'id' | 'tenantId'>): Promise<CampaignLanding | null> {
    return this.dataSource.manager.findOneBy(CampaignLanding, { campaignId: campaign.id, tenantId: campaign.tenantId });
  }

  /** The public page of a campaign: only once approved; drafts and unknown ids are the same NOT_FOUND. */
  async offer(campaignId: string): Promise<{ offer: CampaignOffer; tenantId: string }> {
    if (!isUuid(campaignId)) throw offerNotFound(campaignId);
    const landing = await this.dataSource.manager.findOneBy(CampaignLanding, { campaignId });
    const campaign = landing
      ? await this.dataSource.manager.findOne(Campaign, {
          where: { id: campaignId, tenantId: landing.tenantId },
          select: { id: true, status: true, schedule: true },
        })
      : null;
    const state = campaign ? offerState(campaign.status) : null;
    if (!landing || !campaign || !state) throw offerNotFound(campaignId);
    return {
      tenantId: landing.tenantId,
      offer: {
        campaignId,
        state,
        headline: landing.headline,
        body: landing.body,
        ctaLabel: landing.ctaLabel,
        ctaUrl: landing.ctaUrl,
        validUntil: campaign.schedule?.endDate ?? null,
      },
    };
  }

  /** A visitor opened the page from its QR code: one more scan today (UTC), counted while the offer stands. */
  async scan(campaignId: string): Promise<CampaignOffer> {
    const { offer, tenantId } = await this.offer(campaignId);
    if (offer.state !== CampaignOfferState.AVAILABLE) return offer;
    const day = new Date(this.clock.now()).toISOString().slice(0, 10);
    await this.dataSource.manager.query(
      `INSERT INTO ${this.table()} ("campaign_id", "day", "tenant_id", "scans") VALUES ($1, $2, $3, 1)
       ON CONFLICT ("campaign_id", "day") DO UPDATE SET "scans" = ${this.table()}."scans" + 1`,
      [campaignId, day, tenantId],
    );
    return offer;
  }

  /** Scans per UTC day in [from, to] (days without scans left out). */
  async scans(campaign: Pick<Campaign, 'id' | 'tenantId'>, from: string, to: string): Promise<CampaignScanDay[]> {
    if (!DAY.test(from) || !DAY.test(to) || from > to) throw scanRangeInvalid();
    if (Date.parse(to) - Date.parse(from) > 400 * 86_400_000) throw scanRangeInvalid();
    const rows = await this.dataSource.manager
      .createQueryBuilder(CampaignLandingScan, 's')
      .where('s.campaignId = :id AND s.tenantId = :t AND s.day BETWEEN :from AND :to', {
        id: campaign.id,
        t: campaign.tenantId,
        from,
        to,
      })
      .orderBy('s.day')
      .getMany();
    return rows.map((r) => ({ day: r.day, scans: r.scans }));
  }

  /** Every scan of the campaign so far. */
  async total(campaign: Pick<Campaign, 'id' | 'tenantId'>): Promise<number> {
    const row = await this.dataSource.manager
      .createQueryBuilder(CampaignLandingScan, 's')
      .select('COALESCE(SUM(s.scans), 0)', 'total')
      .where('s.campaignId = :id AND s.tenantId = :t', { id: campaign.id, t: campaign.tenantId })
      .getRawOne<{ total: string }>();
    return Number(row?.total ?? 0);
  }

  private table(): string {
    const meta = this.dataSource.getMetadata(CampaignLandingScan);
    return `"${meta.schema ?? 'campaign'}"."${meta.tableName}"`;
  }
}
