import { badInput } from '@phub/kit';

export const reminderInPast = () =>
  badInput('appointmentAt: the appointment must be in the future', { field: 'appointmentAt' });
export const reminderReference = () =>
  badInput('reference: 1 to 200 characters naming the appointment', { field: 'reference' });
export const reminderLine = (lineId: string) =>
  badInput(`lineId: ${lineId} is not a line of this store`, { field: 'lineId' });
