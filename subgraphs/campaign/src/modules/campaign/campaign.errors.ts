import { badInput, conflict, notFound } from '@phub/kit';
import type { CampaignStatus } from './campaign.entity.js';

export const campaignNotFound = (id: string) => notFound('Campaign', id);
export const storeNotFound = (id: string) => notFound('Store', id);

export const transitionRefused = (action: string, from: CampaignStatus, allowed: readonly CampaignStatus[]) =>
  conflict(`Cannot ${action.toLowerCase()} a ${from} campaign (only from ${allowed.join(' or ')})`, {
    action,
    status: from,
    allowedFrom: [...allowed],
  });

export const notEditable = (status: CampaignStatus) => conflict(`A ${status} campaign cannot be edited`, { status });

/** BAD_USER_INPUT with field paths, in the shape the kit gives class-validator failures. */
export const invalidCampaign = (fields: { field: string; messages: string[] }[]) =>
  badInput(`Invalid input: ${fields.map((f) => `${f.field}: ${f.messages.join(', ')}`).join('; ')}`, { fields });

const SCHEDULE_FIELDS = ['startDate', 'endDate', 'startsAt', 'endsAt', 'dayparts'];

/** The input field an engine validation problem is about ("dayparts[0].from …" → "schedule.dayparts[0].from"). */
export function problemField(problem: string): string {
  const head = problem.split(' ')[0] ?? '';
  if (head.startsWith('targeting.')) return head;
  if (head.startsWith('creatives[')) return head.replace(/^creatives/, 'creativeIds').replace(/\..*$/, '');
  if (head === 'maxPlaysPerHour') return 'schedule.maxPlaysPerHour';
  if (head.startsWith('queueConditions')) return head.replace(/^queueConditions/, 'targeting.queue');
  if (SCHEDULE_FIELDS.some((f) => head.startsWith(f))) return `schedule.${head}`;
  return head;
}

/** Engine problems grouped by input field. */
export function problemsToFields(problems: readonly string[]): { field: string; messages: string[] }[] {
  const byField = new Map<string, string[]>();
  for (const problem of problems) {
    const field = problemField(problem);
    byField.set(field, [...(byField.get(field) ?? []), problem]);
  }
  return [...byField].map(([field, messages]) => ({ field, messages }));
}

export const noPendingRevision = (campaignId: string) =>
  conflict('The campaign has no revision in review', { reason: 'NO_PENDING_REVISION', campaignId });
