import { badInput, conflict, notFound } from '@phub/kit';
import { TAKEOVER_MESSAGE_MAX } from './takeover.input.js';

// `reason` is the stable, machine-readable part of each error (extensions.reason).
export const takeoverNotFound = (id: string) => notFound('StoreTakeover', id);
export const storeNotFound = (id: string) => notFound('Store', id);
export const creativeNotFound = (id: string) => notFound('Creative', id);
export const oneContent = () =>
  badInput('Give exactly one of creativeId and message', { field: 'creativeId', reason: 'ONE_CONTENT_REQUIRED' });
export const messageEmpty = () => badInput('message: must not be empty', { field: 'message', reason: 'MESSAGE_EMPTY' });
export const messageTooLong = () =>
  badInput(`message: at most ${TAKEOVER_MESSAGE_MAX} characters`, {
    field: 'message',
    reason: 'MESSAGE_TOO_LONG',
    maxLength: TAKEOVER_MESSAGE_MAX,
  });
export const messageInvalid = (why: string) =>
  badInput(`message: ${why}`, { field: 'message', reason: 'MESSAGE_INVALID' });
export const creativeNotReady = (id: string, status: string) =>
  badInput(`creativeId: creative ${id} is ${status}, not READY`, { field: 'creativeId', reason: 'CREATIVE_NOT_READY' });
export const takeoverActive = (storeId: string, activeId: string | null) =>
  conflict(`Store ${storeId} already has an active takeover; lift it first`, {
    reason: 'TAKEOVER_ACTIVE',
    activeTakeoverId: activeId,
  });
