import { displayEventV1, type DisplayEventV1, storeEventV1, type StoreEventV1 } from '@phub/contracts';
import { enqueue } from '@phub/kit';
import type { EntityManager } from 'typeorm';
import type { Display } from './modules/display/display.entity.js';
import type { Store } from './modules/store/store.entity.js';

/** Topics this subgraph publishes (through the outbox), from the shared contracts. Consumers key off the entity id. */
export const LocationTopic = {
  display: displayEventV1.topic,
  store: storeEventV1.topic,
} as const;

export type DisplayEvent = DisplayEventV1;
export type StoreEvent = StoreEventV1;

export function displayEvent(display: Display): DisplayEvent {
  return {
    type: display.archivedAt ? 'DisplayArchived' : 'DisplayUpserted',
    occurredAt: new Date().toISOString(),
    display: {
      id: display.id,
      tenantId: display.tenantId,
      storeId: display.storeId,
      name: display.name,
      tags: display.tags,
      orientation: display.orientation,
      zoneId: display.zoneId,
      archivedAt: display.archivedAt?.toISOString() ?? null,
    },
  };
}

export function storeEvent(store: Store): StoreEvent {
  return {
    type: store.archivedAt ? 'StoreArchived' : 'StoreUpserted',
    occurredAt: new Date().toISOString(),
    store: {
      id: store.id,
      tenantId: store.tenantId,
      regionId: store.regionId,
      name: store.name,
      code: store.code,
      timezone: store.timezone,
      // Store-local windows: consumers such as playback's stale-content rule need to know when it is shut.
      openingHours: (store.openingHours ?? []).map(({ day, opens, closes }) => ({ day, opens, closes })),
      tags: store.tags,
      archivedAt: store.archivedAt?.toISOString() ?? null,
    },
  };
}

export async function emitDisplay(manager: EntityManager, display: Display): Promise<void> {
  await enqueue(manager, { topic: LocationTopic.display, key: display.id, payload: displayEvent(display) });
}

export async function emitStore(manager: EntityManager, store: Store): Promise<void> {
  await enqueue(manager, { topic: LocationTopic.store, key: store.id, payload: storeEvent(store) });
}
