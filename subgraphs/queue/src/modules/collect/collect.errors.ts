import { conflict, notFound } from '@phub/kit';
import type { CollectOrderState } from './collect.entity.js';

export const collectOrderNotFound = (id: string) => notFound('CollectOrder', id);
export const duplicateReference = (reference: string) =>
  conflict(`An order with reference ${reference} already exists in this store`, {
    reason: 'DUPLICATE_REFERENCE',
    reference,
  });
export const orderState = (action: string, state: CollectOrderState) =>
  conflict(`The order is ${state}: ${action} is not allowed`, {
    reason: state === 'CHECKED_IN' ? 'ALREADY_CHECKED_IN' : 'ORDER_STATE',
    action,
    state,
  });
export const orderNotCalled = () =>
  conflict('The customer’s ticket is waiting: call it before handing the order over', { reason: 'TICKET_STATE' });
