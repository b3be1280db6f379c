import { describe, expect, it } from 'vitest';
import { canManageCreative, describeSize, mayUpload, parseTags, showFilter } from './library';

describe(parseTags.name, () => {
  it.each([
    ['autumn, Window  Display , autumn', ['autumn', 'window display']],
    [' , ,', []],
    ['b,a', ['a', 'b']],
  ])('%j → %j', (text, tags) => expect(parseTags(text)).toEqual(tags));
});

describe(describeSize.name, () => {
  it('names the pixels and the orientation, or says the size is unknown', () => {
    expect(describeSize({ width: 1080, height: 1920, orientation: 'PORTRAIT' })).toBe('1080 × 1920 · portrait');
    expect(describeSize({ width: null, height: null, orientation: null })).toBe('Size unknown');
  });
});

describe(canManageCreative.name, () => {
  it.each([
    [['HQ_ADMIN'], 'someone', true],
    [['HQ_EDITOR'], 'someone', true],
    [['HQ_VIEWER'], 'me', false],
    [['STORE_MANAGER'], 'me', true],
    [['STORE_MANAGER'], 'someone', false],
    [['STORE_STAFF'], 'me', false],
  ] as const)('%j on a creative of %s → %s', (roles, createdBy, allowed) => {
    expect(canManageCreative({ roles: [...roles], userId: 'me' }, { createdBy })).toBe(allowed);
  });
});

describe(showFilter.name, () => {
  it.each([
    ['active', {}],
    ['archived', { archivedOnly: true }],
    ['unused', { used: false }],
    ['used', { used: true }],
  ] as const)('%s → %j', (show, filter) => expect(showFilter(show)).toEqual(filter));
});

describe(mayUpload.name, () => {
  it.each([
    [['HQ_ADMIN'], true],
    [['HQ_EDITOR'], true],
    [['STORE_MANAGER'], true],
    [['HQ_VIEWER'], false],
    [['STORE_STAFF'], false],
  ] as const)('%j → %s', (roles, allowed) => expect(mayUpload(roles)).toBe(allowed));
});
