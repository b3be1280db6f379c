import { describe, expect, it } from 'vitest';
import { cachePolicy, staleCaches } from './sw-policy';

const SCOPE = 'https://shop.example/retail/';

describe(cachePolicy.name, () => {
  it.each([
    [{ method: 'POST', url: 'https://shop.example/graphql' }, 'network'],
    [{ method: 'GET', url: 'https://shop.example/graphql?query=%7Bme%7D' }, 'network'],
    [{ method: 'GET', url: 'https://shop.example/retail/graphql' }, 'network'],
    [{ method: 'GET', url: 'https://shop.example/hq/', mode: 'navigate' }, 'network'],
    [{ method: 'GET', url: 'https://cdn.example/retail/x.png' }, 'network'],
    [{ method: 'GET', url: 'https://shop.example/retail/s/1/queue', mode: 'navigate' }, 'shell'],
    [{ method: 'GET', url: 'https://shop.example/retail/assets/index-abc.js' }, 'asset'],
    [{ method: 'GET', url: 'https://shop.example/retail/manifest.webmanifest' }, 'static'],
    [{ method: 'POST', url: 'https://shop.example/retail/' }, 'network'],
  ] as const)('%j → %s', (req, expected) => {
    expect(cachePolicy(req, SCOPE)).toBe(expected);
  });
});

describe(staleCaches.name, () => {
  it("deletes only the store app's older shells, never the player's caches on the same origin", () => {
    const keys = ['phub-retail-shell-v0', 'phub-retail-shell-v1', 'phub-assets', 'phub-player-shell-abc123', 'other'];
    expect(staleCaches(keys, 'phub-retail-shell-v1')).toEqual(['phub-retail-shell-v0']);
  });
});
