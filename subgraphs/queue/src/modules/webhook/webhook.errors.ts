import { badInput, conflict, notFound } from '@phub/kit';

export const endpointNotFound = (id: string) => notFound('WebhookEndpoint', id);
export const noEvents = () => badInput('events: at least one ticket event', { field: 'events' });
export const descriptionTooLong = () => badInput('description: at most 200 characters', { field: 'description' });
export const tooManyEndpoints = (limit: number) =>
  conflict(`A tenant has at most ${limit} webhook endpoints`, { reason: 'WEBHOOK_LIMIT', limit });
