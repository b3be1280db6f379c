import type { Role } from '@phub/web-kit';

export type CampaignStatus = 'DRAFT' | 'IN_REVIEW' | 'APPROVED' | 'LIVE' | 'PAUSED' | 'ENDED' | 'ARCHIVED';
export type WorkflowAction = 'SUBMIT' | 'APPROVE' | 'REJECT' | 'PUBLISH' | 'PAUSE' | 'RESUME' | 'END' | 'ARCHIVE';

/** The campaign subgraph's workflow (campaign.workflow.ts): the statuses each action may start from. */
export const WORKFLOW: Record<WorkflowAction, { from: readonly CampaignStatus[]; to: CampaignStatus }> = {
  SUBMIT: { from: ['DRAFT'], to: 'IN_REVIEW' },
  APPROVE: { from: ['IN_REVIEW'], to: 'APPROVED' },
  REJECT: { from: ['IN_REVIEW'], to: 'DRAFT' },
  PUBLISH: { from: ['APPROVED'], to: 'LIVE' },
  PAUSE: { from: ['LIVE'], to: 'PAUSED' },
  RESUME: { from: ['PAUSED'], to: 'LIVE' },
  END: { from: ['APPROVED', 'LIVE', 'PAUSED'], to: 'ENDED' },
  ARCHIVE: { from: ['DRAFT', 'ENDED'], to: 'ARCHIVED' },
};

/** Statuses whose content may be edited (an edit of an approved, live or paused one waits for review as a revision while that version keeps playing). */
export const EDITABLE: readonly CampaignStatus[] = ['DRAFT', 'IN_REVIEW', 'APPROVED', 'LIVE', 'PAUSED'];

export const ACTION_LABELS: Record<WorkflowAction, string> = {
  SUBMIT: 'Submit for review',
  APPROVE: 'Approve',
  REJECT: 'Reject',
  PUBLISH: 'Publish',
  PAUSE: 'Pause',
  RESUME: 'Resume',
  END: 'End',
  ARCHIVE: 'Archive',
};

const EDITORS: readonly Role[] = ['HQ_ADMIN', 'HQ_EDITOR', 'STORE_MANAGER'];

export interface CampaignAccess {
  roles: readonly Role[];
  /** The viewer's stores (store roles) */
  storeIds: readonly string[];
}

/** Whether the viewer may create and change this campaign (store managers: only their stores' own campaigns). */
export function canEditCampaign(viewer: CampaignAccess, campaign: { storeId?: string | null }): boolean {
  if (viewer.roles.includes('HQ_ADMIN') || viewer.roles.includes('HQ_EDITOR')) return true;
  if (viewer.roles.includes('STORE_MANAGER')) return !!campaign.storeId && viewer.storeIds.includes(campaign.storeId);
  return false;
}

export function canCreateCampaign(viewer: CampaignAccess): boolean {
  return viewer.roles.some((r) => EDITORS.includes(r));
}

/** The workflow actions this viewer may take on a campaign in this status, in display order. */
export function availableActions(
  viewer: CampaignAccess,
  campaign: { status: CampaignStatus; storeId?: string | null },
): WorkflowAction[] {
  const editor = canEditCampaign(viewer, campaign);
  const admin = viewer.roles.includes('HQ_ADMIN');
  return (Object.keys(WORKFLOW) as WorkflowAction[]).filter((action) => {
    if (!WORKFLOW[action].from.includes(campaign.status)) return false;
    if (action === 'APPROVE' || action === 'REJECT') return admin;
    return editor;
  });
}

export function canEditContent(viewer: CampaignAccess, campaign: { status: CampaignStatus; storeId?: string | null }) {
  return EDITABLE.includes(campaign.status) && canEditCampaign(viewer, campaign);
}
