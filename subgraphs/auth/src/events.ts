import { displayEventV1 } from '@phub/contracts';
import { enqueue } from '@phub/kit';
import type { EntityManager } from 'typeorm';

/** Topics auth publishes (through the outbox), keyed by the entity id. */
export const AuthTopic = {
  user: 'auth.user.v1',
  device: 'auth.device.v1',
} as const;

/** Topics auth consumes. */
export const LOCATION_DISPLAY_TOPIC = displayEventV1.topic;

export interface UserEvent {
  type: 'UserUpserted' | 'UserDeactivated';
  occurredAt: string;
  user: { id: string; tenantId: string; displayName: string; roles: string[]; storeIds: string[]; status: string };
}

export interface DeviceEvent {
  type: 'DevicePaired' | 'DeviceRevoked';
  occurredAt: string;
  device: { displayId: string; tenantId: string; storeId: string | null };
}

export async function emitUser(manager: EntityManager, user: UserEvent['user'], occurredAt: Date): Promise<void> {
  const event: UserEvent = {
    type: user.status === 'DEACTIVATED' ? 'UserDeactivated' : 'UserUpserted',
    occurredAt: occurredAt.toISOString(),
    user: {
      id: user.id,
      tenantId: user.tenantId,
      displayName: user.displayName,
      roles: user.roles,
      storeIds: user.storeIds,
      status: user.status,
    },
  };
  await enqueue(manager, { topic: AuthTopic.user, key: user.id, payload: event });
}

export async function emitDevice(
  manager: EntityManager,
  type: DeviceEvent['type'],
  device: DeviceEvent['device'],
  occurredAt: Date,
): Promise<void> {
  const event: DeviceEvent = { type, occurredAt: occurredAt.toISOString(), device };
  await enqueue(manager, { topic: AuthTopic.device, key: device.displayId, payload: event });
}
