import { CampaignStatus, TransitionAction } from './campaign.entity.js';
import { transitionRefused } from './campaign.errors.js';

const { DRAFT, IN_REVIEW, APPROVED, LIVE, PAUSED, ENDED, ARCHIVED } = CampaignStatus;

/** Workflow actions: the statuses each may start from and the status it leads to. */
export type WorkflowAction = Exclude<
  TransitionAction,
  | TransitionAction.CREATE
  | TransitionAction.EDIT
  | TransitionAction.STORE_PAUSE
  | TransitionAction.STORE_RESUME
  | TransitionAction.REVISE
  | TransitionAction.APPROVE_REVISION
  | TransitionAction.REJECT_REVISION
  | TransitionAction.WITHDRAW_REVISION
>;

export const WORKFLOW: Readonly<Record<WorkflowAction, { from: readonly CampaignStatus[]; to: CampaignStatus }>> = {
  [TransitionAction.SUBMIT]: { from: [DRAFT], to: IN_REVIEW },
  [TransitionAction.APPROVE]: { from: [IN_REVIEW], to: APPROVED },
  [TransitionAction.REJECT]: { from: [IN_REVIEW], to: DRAFT },
  [TransitionAction.PUBLISH]: { from: [APPROVED], to: LIVE },
  [TransitionAction.PAUSE]: { from: [LIVE], to: PAUSED },
  [TransitionAction.RESUME]: { from: [PAUSED], to: LIVE },
  [TransitionAction.END]: { from: [APPROVED, LIVE, PAUSED], to: ENDED },
  [TransitionAction.ARCHIVE]: { from: [DRAFT, ENDED], to: ARCHIVED },
};

/** The status `action` leads to from `from`, or CONFLICT naming what is allowed. */
export function nextStatus(action: WorkflowAction, from: CampaignStatus): CampaignStatus {
  const rule = WORKFLOW[action];
  if (!rule.from.includes(from)) throw transitionRefused(action, from, rule.from);
  return rule.to;
}

/** Statuses whose content (schedule, targeting, creatives, priority, weight) may be edited. */
export const EDITABLE: readonly CampaignStatus[] = [DRAFT, IN_REVIEW, APPROVED, LIVE, PAUSED];

/**
 * Statuses whose content edits become a revision: the approved version keeps playing (or stays approved) until
 * the revision is approved; drafts and campaigns in review are edited in place.
 */
export const REVISED: readonly CampaignStatus[] = [APPROVED, LIVE, PAUSED];
