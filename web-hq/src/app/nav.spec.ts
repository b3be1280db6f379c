import { describe, expect, it } from 'vitest';
import type { Role } from '@phub/web-kit';
import { basenameFrom, navFor } from './nav';

describe(navFor.name, () => {
  it.each<[Role, string[]]>([
    [
      'HQ_ADMIN',
      ['Campaigns', 'Library', 'Reviews', 'Preview', 'Layouts', 'Fleet', 'Locations', 'Reports', 'Administration'],
    ],
    ['HQ_EDITOR', ['Campaigns', 'Library', 'Preview', 'Layouts', 'Fleet', 'Locations', 'Reports', 'Administration']],
    ['HQ_VIEWER', ['Campaigns', 'Library', 'Preview', 'Layouts', 'Fleet', 'Locations', 'Reports', 'Administration']],
    ['STORE_MANAGER', ['Campaigns', 'Library', 'Preview', 'Fleet', 'Reports']],
    ['STORE_STAFF', ['Campaigns', 'Library', 'Preview', 'Fleet']],
    ['DEVICE', []],
  ])('%s sees %j', (role, labels) => {
    expect(navFor([role]).map((n) => n.label)).toEqual(labels);
  });
});

describe(basenameFrom.name, () => {
  it.each([
    ['/hq/', 'http://localhost:4000/hq/campaigns', '/hq'],
    ['/', 'https://cdn.example/campaigns', '/'],
    ['https://cdn.example/apps/hq/', 'https://cdn.example/apps/hq/', '/apps/hq'],
  ])('base %s at %s → %s', (base, href, expected) => expect(basenameFrom(base, href)).toBe(expected));
});
