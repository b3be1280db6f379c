import { describe, expect, it } from 'vitest';
import { cachePolicy, isStaleShellCache } from './sw-policy.js';

const SCOPE = 'https://shop.example/player/';

describe(cachePolicy.name, () => {
  it.each([
    [{ method: 'POST', url: 'https://shop.example/graphql' }, 'network'],
    [{ method: 'GET', url: 'https://shop.example/graphql?query=%7Bme%7D' }, 'network'],
    [{ method: 'GET', url: 'https://shop.example/player/graphql' }, 'network'],
    [{ method: 'GET', url: 'https://shop.example/retail/', mode: 'navigate' }, 'network'],
    [{ method: 'GET', url: 'https://shop.example/assets/demo/autumn.png' }, 'network'],
    [{ method: 'GET', url: 'https://cdn.example/player/x.png' }, 'network'],
    [{ method: 'GET', url: 'https://shop.example/player/', mode: 'navigate' }, 'shell'],
    [{ method: 'GET', url: 'https://shop.example/player/?rotate=ccw', mode: 'navigate' }, 'shell'],
    [{ method: 'GET', url: 'https://shop.example/player/assets/index-abc.js' }, 'asset'],
    [{ method: 'GET', url: 'https://shop.example/player/favicon.ico' }, 'static'],
    [{ method: 'POST', url: 'https://shop.example/player/' }, 'network'],
  ] as const)('%j → %s', (req, expected) => {
    expect(cachePolicy(req, SCOPE)).toBe(expected);
  });
});

describe(isStaleShellCache.name, () => {
  it.each([
    ['phub-player-shell-old', true],
    ['phub-player-shell-new', false],
    // the page's creative cache and other apps' caches on the same origin are not the worker's to delete
    ['phub-assets', false],
    ['phub-retail-shell-v1', false],
  ])('%s → %s', (name, stale) => {
    expect(isStaleShellCache(name, 'phub-player-shell-new')).toBe(stale);
  });
});
