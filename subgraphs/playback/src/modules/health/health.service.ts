import { notFound } from '@phub/kit';
import DataLoader from 'dataloader';
import type { PlaybackScope } from '../../scope.js';
import { KnownDisplay } from '../projection/projection.entity.js';
import { DisplayState } from './display-state.entity.js';
import type { Display } from './display.types.js';
import { DisplayStatus } from './health.rules.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const unknownDisplay = (id: string): Display => ({
  id,
  status: DisplayStatus.UNKNOWN,
  lastSeenAt: null,
  nowPlaying: null,
});

export function toDisplay(s: DisplayState): Display {
  return {
    id: s.displayId,
    status: (s.status as DisplayStatus) ?? DisplayStatus.UNKNOWN,
    lastSeenAt: s.lastSeenAt,
    nowPlaying: s.lastSeenAt
      ? {
          creativeId: s.currentCreativeId,
          creative: s.currentCreativeId ? { id: s.currentCreativeId } : null,
          playlistVersion: s.reportedVersion,
          appVersion: s.appVersion,
          reportedAt: s.lastSeenAt,
        }
      : null,
  };
}

/** Batches display health by id within a request; out of scope or never heard from reads as UNKNOWN. */
export function displayLoader(scope: PlaybackScope): DataLoader<string, Display> {
  return new DataLoader<string, Display>(async (ids) => {
    const valid = ids.filter((id) => UUID.test(id));
    const rows = valid.length
      ? await (
          await scope.scoped(DisplayState, 's', { store: 'storeId', display: 'displayId' })
        )
          .andWhere('s.displayId IN (:...ids)', { ids: valid })
          .getMany()
      : [];
    const found = new Map(rows.map((r) => [r.displayId, r]));
    return ids.map((id) => {
      const row = found.get(id);
      return row ? toDisplay(row) : unknownDisplay(id);
    });
  });
}

/** Display health for people and players. */
export class HealthService {
  /** Health of every display of a store that playback has heard of. */
  async forStore(scope: PlaybackScope, storeId: string): Promise<Display[]> {
    await scope.assertStoreVisible(storeId);
    if (!UUID.test(storeId)) return [];
    const rows = await (
      await scope.scoped(DisplayState, 's', { store: 'storeId', display: 'displayId' })
    )
      .andWhere('s.storeId = :storeId', { storeId })
      .orderBy('s.displayId')
      .getMany();
    return rows.map(toDisplay);
  }

  /** NOT_FOUND unless the viewer may see the display (a device: only its own). */
  async assertVisible(scope: PlaybackScope, displayId: string): Promise<void> {
    if (scope.isDevice) {
      if (scope.who.displayId === displayId) return;
      throw notFound('Display', displayId);
    }
    if (!UUID.test(displayId)) throw notFound('Display', displayId);
    const known = await (
      await scope.scoped(KnownDisplay, 'd', { store: 'storeId', display: 'id' })
    )
      .andWhere('d.id = :displayId', { displayId })
      .getCount();
    if (known) return;
    const state = await (
      await scope.scoped(DisplayState, 's', { store: 'storeId', display: 'displayId' })
    )
      .andWhere('s.displayId = :displayId', { displayId })
      .getCount();
    if (!state) throw notFound('Display', displayId);
  }
}
