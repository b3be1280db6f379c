import { displayEventV1, storeEventV1 } from '@phub/contracts';
import { describe, expect, it } from 'vitest';
import { displayEvent, storeEvent } from './events.js';
import { Display } from './modules/display/display.entity.js';
import { Store, Weekday } from './modules/store/store.entity.js';

const TENANT = '00000000-0000-4000-8000-000000000001';
const store = Object.assign(new Store(), {
  id: '00000000-0000-4000-8000-0000000005a1',
  tenantId: TENANT,
  regionId: null,
  name: 'London Oxford Street',
  code: 'LON-OXF',
  timezone: 'Europe/London',
  tags: ['flagship'],
  openingHours: [{ day: Weekday.MON, opens: '09:00', closes: '21:00' }],
  archivedAt: null,
});
const display = Object.assign(new Display(), {
  id: '00000000-0000-4000-8000-00000000d111',
  tenantId: TENANT,
  storeId: store.id,
  name: 'Window left',
  tags: ['window'],
  orientation: 'LANDSCAPE',
  zoneId: null,
  archivedAt: new Date('2030-01-01T00:00:00Z'),
});
// The bus carries JSON: what a consumer sees is the event after a round trip.
const wire = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

describe('location events against the contracts their consumers (campaign, playback, auth) parse with', () => {
  it('emits store events that parse, with their opening hours', () => {
    const parsed = storeEventV1.schema.parse(wire(storeEvent(store)));
    expect(parsed.store).toMatchObject({ id: store.id, timezone: 'Europe/London', openingHours: store.openingHours });
    expect(storeEventV1.topic).toBe('location.store.v1');
  });

  it('emits display events that parse, archived ones as DisplayArchived', () => {
    const parsed = displayEventV1.schema.parse(wire(displayEvent(display)));
    expect(parsed).toMatchObject({ type: 'DisplayArchived', display: { storeId: store.id, orientation: 'LANDSCAPE' } });
  });

  it.each<[string, (e: Record<string, Record<string, unknown>>) => void]>([
    ['a missing tenant', (e) => delete e['store']!['tenantId']],
    ['a time zone left empty', (e) => void (e['store']!['timezone'] = '')],
    ['hours not in HH:MM', (e) => void (e['store']!['openingHours'] = [{ day: 'MON', opens: '9am', closes: '21:00' }])],
    ['an instant without an offset', (e) => void ((e as Record<string, unknown>)['occurredAt'] = '2030-01-01 10:00')],
  ])('rejects a broken store event: %s', (_name, breakIt) => {
    const event = wire(storeEvent(store)) as Record<string, Record<string, unknown>>;
    breakIt(event);
    expect(storeEventV1.schema.safeParse(event).success).toBe(false);
  });
});
