import { badInput, conflict, forbidden, notFound } from '@phub/kit';

export const deskNotFound = (id: string) => notFound('Desk', id);
export const deskArchived = (id: string) => conflict(`Desk ${id} is archived`, { reason: 'DESK_ARCHIVED', deskId: id });
export const deskNotForLine = (deskId: string, lineId: string) =>
  badInput(`Desk ${deskId} does not serve line ${lineId}`, { field: 'deskId', deskId, lineId });
export const lineOfOtherStore = (lineId: string) =>
  badInput(`Line ${lineId} belongs to another store`, { field: 'lineIds', lineId });
export const staffOnlyThemselves = () => forbidden('Staff may only sign themselves in to or out of a desk');
