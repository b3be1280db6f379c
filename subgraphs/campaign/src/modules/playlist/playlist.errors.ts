import { badInput, DomainError, notFound } from '@phub/kit';
import { PlaylistEngineError } from '../../engine/index.js';

export const displayNotFound = (id: string) => notFound('Display', id);
export const campaignNotFound = (id: string) => notFound('Campaign', id);
export const previewTooLong = (maxDays: number) =>
  badInput(`to: a preview covers at most ${maxDays} days`, { field: 'to', maxDays });

/** Runs engine work, turning its refusals into the platform's BAD_USER_INPUT. */
export function engineCall<T>(work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (err instanceof PlaylistEngineError) {
      throw new DomainError(err.code, err.message, { ...err.details, reason: err.reason });
    }
    throw err;
  }
}
