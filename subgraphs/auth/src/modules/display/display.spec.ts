import { randomUUID } from 'node:crypto';
import { DEMO_TENANT_ID, MemoryBus } from '@phub/kit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LOCATION_DISPLAY_TOPIC } from '../../events.js';
import { createAuthService } from '../../index.js';
import { startAuth, type AuthHarness } from '../../testing/harness.js';
import { DisplayDirectory } from './display.service.js';

let h: AuthHarness;
const row = async (id: string) =>
  (await h.db.query('SELECT tenant_id, store_id, name, archived_at FROM auth.display WHERE id = $1', [id])).rows[0];

beforeAll(async () => {
  h = await startAuth({ demoData: false });
});
afterAll(() => h?.stop());

describe(DisplayDirectory.name, () => {
  it('projects displays from location events and ignores events older than what it holds', async () => {
    const id = randomUUID();
    const storeId = randomUUID();
    const t0 = new Date(h.clock.now());
    await h.publishDisplay({ id, tenantId: DEMO_TENANT_ID, storeId, occurredAt: t0.toISOString() });
    const moved = randomUUID();
    await h.publishDisplay({
      id,
      tenantId: DEMO_TENANT_ID,
      storeId: moved,
      occurredAt: new Date(t0.getTime() + 1000).toISOString(),
    });
    expect(await row(id)).toMatchObject({ tenant_id: DEMO_TENANT_ID, store_id: moved, archived_at: null });
    // A late, older event (say a redelivery) does not undo the newer state.
    await h.infra.bus.publish(LOCATION_DISPLAY_TOPIC, [
      {
        key: id,
        value: {
          type: 'DisplayUpserted',
          occurredAt: t0.toISOString(),
          display: {
            id,
            tenantId: DEMO_TENANT_ID,
            storeId,
            name: 'old',
            tags: [],
            orientation: 'LANDSCAPE',
            zoneId: null,
            archivedAt: null,
          },
        },
      },
    ]);
    const marker = await h.publishDisplay({ tenantId: DEMO_TENANT_ID, storeId });
    expect(await row(marker)).toBeDefined();
    expect(await row(id)).toMatchObject({ store_id: moved });
  });

  it('skips malformed events without holding up the ones after them', async () => {
    await h.infra.bus.publish(LOCATION_DISPLAY_TOPIC, [
      { key: 'x', value: { type: 'DisplayUpserted', display: { id: 'not-a-uuid' } } },
      { key: 'y', value: 'nonsense' },
    ]);
    const after = await h.publishDisplay({ tenantId: DEMO_TENANT_ID, storeId: randomUUID() });
    expect(await row(after)).toBeDefined();
  });

  it('reads the topic from the beginning when it starts, so displays created earlier are known', async () => {
    const bus = new MemoryBus({ retryDelayMs: 10 });
    const id = randomUUID();
    await bus.publish(LOCATION_DISPLAY_TOPIC, [
      {
        key: id,
        value: {
          type: 'DisplayUpserted',
          occurredAt: new Date().toISOString(),
          display: {
            id,
            tenantId: DEMO_TENANT_ID,
            storeId: randomUUID(),
            name: 'Early',
            tags: [],
            orientation: 'PORTRAIT',
            zoneId: null,
            archivedAt: null,
          },
        },
      },
    ]);
    const late = createAuthService({ ...h.infra, bus }, { port: 0, host: '127.0.0.1', env: h.env });
    await late.start();
    try {
      await vi.waitFor(async () => expect(await row(id)).toMatchObject({ name: 'Early' }), {
        timeout: 5_000,
        interval: 10,
      });
    } finally {
      await late.stop();
      await bus.close();
    }
  });
});
