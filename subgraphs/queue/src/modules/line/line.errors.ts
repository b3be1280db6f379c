import { badInput, conflict, notFound } from '@phub/kit';

export const lineNotFound = (id: string) => notFound('Line', id);
export const storeNotKnown = (id: string) => notFound('Store', id);
export const lineArchived = (id: string) => conflict(`Line ${id} is archived`, { reason: 'LINE_ARCHIVED', lineId: id });
export const lineClosed = (id: string) =>
  conflict(`Line ${id} is closed now; it takes visitors during its opening hours`, {
    reason: 'LINE_CLOSED',
    lineId: id,
  });
export const lineFull = (id: string) =>
  conflict(`Line ${id} is full; try again later`, { reason: 'LINE_FULL', lineId: id });
export const lineKindWrong = (id: string, kind: string, what: string) =>
  conflict(`Line ${id} is a ${kind} line: ${what}`, { reason: 'LINE_KIND', lineId: id, kind });
export const hoursInvalid = (day: string) =>
  badInput(`openingHours: on ${day} the line must close after it opens`, { field: 'openingHours', day });
