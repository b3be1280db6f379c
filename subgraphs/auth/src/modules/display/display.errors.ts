import { conflict, forbidden, notFound } from '@phub/kit';

export const displayUnknown = (id: string) => notFound('Display', id);
export const displayArchived = (id: string) => conflict(`Display ${id} is archived`, { displayId: id });
export const displayOutOfReach = (id: string) => forbidden(`Display ${id} is not in your tenant or your stores`);
