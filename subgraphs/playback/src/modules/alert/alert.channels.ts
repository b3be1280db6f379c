import type { AlertKind, AlertState } from './alert.entity.js';

export const alertChannel = (tenantId: string, storeId: string) => `playback.alerts:${tenantId}:${storeId}`;
/** Every display status change of a tenant (the fleet view); subscribers filter by their stores. */
export const fleetStatusChannel = (tenantId: string) => `playback.fleet-status:${tenantId}`;
export const statusChannel = (tenantId: string, displayId: string) =>
  `playback.display-status:${tenantId}:${displayId}`;

/** An alert as it travels over pub/sub (JSON). */
export interface AlertPayload {
  id: string;
  tenantId: string;
  storeId: string;
  displayId: string;
  kind: AlertKind;
  state: AlertState;
  message: string;
  raisedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
}

export interface StatusPayload {
  tenantId: string;
  displayId: string;
  storeId: string;
  status: string;
  previous: string;
  lastSeenAt: string | null;
  at: string;
}
