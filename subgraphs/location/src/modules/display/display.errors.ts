import { badInput, notFound } from '@phub/kit';

export const displayNotFound = (id: string) => notFound('Display', id);
export const zoneNotInStore = (zoneId: string) =>
  badInput(`zoneId: zone ${zoneId} is not an active zone of the display's store`, { field: 'zoneId', zoneId });
