import { badInput, conflict, notFound } from '@phub/kit';

/** Unknown campaign, no landing page, or one not yet approved: the same answer, so drafts do not leak. */
export const offerNotFound = (campaignId: string) => notFound('CampaignOffer', campaignId);
export const landingNotEditable = (status: string) =>
  conflict(`The landing page of a ${status} campaign cannot change: it was reviewed with the campaign`, {
    reason: 'LANDING_REVIEWED',
    status,
  });
export const landingCtaIncomplete = () =>
  badInput('ctaLabel and ctaUrl go together: give both or neither', { field: 'ctaUrl' });
export const scanRangeInvalid = () =>
  badInput('landingScans: from must be a YYYY-MM-DD date on or before to, at most 400 days apart', { field: 'from' });
export const landingHeadlineEmpty = () => badInput('headline must not be blank', { field: 'headline' });
