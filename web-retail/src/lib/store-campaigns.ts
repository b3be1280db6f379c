/**
 * A store's own campaigns as a manager runs them: the same workflow as HQ's (the campaign subgraph's WORKFLOW),
 * minus approve and reject, which stay with HQ admins. Pure, with a spec.
 */
export type CampaignStatusName = 'DRAFT' | 'IN_REVIEW' | 'APPROVED' | 'LIVE' | 'PAUSED' | 'ENDED' | 'ARCHIVED';

export type ManagerAction = 'submit' | 'publish' | 'pause' | 'resume' | 'end' | 'archive';

export const ACTIONS: Record<ManagerAction, { from: readonly CampaignStatusName[]; label: string; mutation: string }> =
  {
    submit: { from: ['DRAFT'], label: 'Submit for review', mutation: 'submitCampaign' },
    publish: { from: ['APPROVED'], label: 'Go live', mutation: 'publishCampaign' },
    pause: { from: ['LIVE'], label: 'Pause', mutation: 'pauseCampaign' },
    resume: { from: ['PAUSED'], label: 'Resume', mutation: 'resumeCampaign' },
    end: { from: ['APPROVED', 'LIVE', 'PAUSED'], label: 'End', mutation: 'endCampaign' },
    archive: { from: ['DRAFT', 'ENDED'], label: 'Archive', mutation: 'archiveCampaign' },
  };

/** What a manager may do with a campaign in `status`, in the order the buttons show. */
export function actionsFor(status: CampaignStatusName): ManagerAction[] {
  return (Object.keys(ACTIONS) as ManagerAction[]).filter((a) => ACTIONS[a].from.includes(status));
}

/** Content (and its offer page) changes here only before approval: after it, HQ's review would be bypassed. */
export const editable = (status: CampaignStatusName) => status === 'DRAFT' || status === 'IN_REVIEW';

export const CAMPAIGN_STATUS_LABEL: Record<CampaignStatusName, string> = {
  DRAFT: 'Draft',
  IN_REVIEW: 'Waiting for HQ review',
  APPROVED: 'Approved',
  LIVE: 'Live',
  PAUSED: 'Paused',
  ENDED: 'Ended',
  ARCHIVED: 'Archived',
};

export interface CampaignDraft {
  name: string;
  description: string;
  creativeIds: string[];
  startDate: string;
  endDate: string;
  headline: string;
  body: string;
  ctaLabel: string;
  ctaUrl: string;
}

/** What is wrong with a draft before it is sent, by field (empty: fine). */
export function draftProblems(d: CampaignDraft): Partial<Record<keyof CampaignDraft, string>> {
  const p: Partial<Record<keyof CampaignDraft, string>> = {};
  if (!d.name.trim()) p.name = 'Give the campaign a name.';
  if (d.creativeIds.length === 0) p.creativeIds = 'Choose at least one creative to play.';
  if (d.startDate && d.endDate && d.endDate < d.startDate) p.endDate = 'It must end on or after its first day.';
  if (!d.ctaLabel.trim() !== !d.ctaUrl.trim()) p.ctaUrl = 'Give both the button’s words and its link, or neither.';
  else if (d.ctaUrl.trim() && !/^https:\/\/\S+$/.test(d.ctaUrl.trim())) p.ctaUrl = 'The link must start with https://';
  if (!d.headline.trim() && (d.body.trim() || d.ctaLabel.trim())) p.headline = 'An offer page needs a headline.';
  return p;
}
