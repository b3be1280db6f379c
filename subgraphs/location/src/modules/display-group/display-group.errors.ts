import { badInput, conflict, notFound } from '@phub/kit';

export const MAX_GROUP_CHANGE = 500;

export const displayGroupNotFound = (id: string) => notFound('DisplayGroup', id);
export const displayGroupNameTaken = (name: string) =>
  conflict(`A display group named “${name}” already exists`, { field: 'name', name });
export const displayGroupArchived = (id: string) =>
  badInput(`Display group ${id} is archived; restore it before changing its displays`, { field: 'groupId', id });
export const displaysNotFound = (ids: string[]) =>
  badInput(`displayIds: ${ids.length} of the displays are not active displays of this organisation`, {
    field: 'displayIds',
    displayIds: ids,
  });
export const tooManyDisplays = (count: number) =>
  badInput(`displayIds: at most ${MAX_GROUP_CHANGE} displays per change (got ${count})`, {
    field: 'displayIds',
    max: MAX_GROUP_CHANGE,
  });
