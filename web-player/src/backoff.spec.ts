import { describe, expect, it } from 'vitest';
import { backoffDelay, refreshDelay } from './backoff.js';
import { readConfig } from './config.js';
import { mediaKind } from './renderer.js';

describe(backoffDelay.name, () => {
  it('grows exponentially with jitter and stays under the cap', () => {
    expect(backoffDelay(0, 1000, 30_000, () => 0)).toBe(500);
    expect(backoffDelay(3, 1000, 30_000, () => 1)).toBe(8000);
    expect(backoffDelay(50, 1000, 30_000, () => 1)).toBe(30_000);
  });
});

describe(refreshDelay.name, () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('refreshes a minute early, or halfway for short-lived tokens, never in the past', () => {
    expect(refreshDelay('2026-01-01T00:15:00Z', now)).toBe(14 * 60_000);
    expect(refreshDelay('2026-01-01T00:01:00Z', now)).toBe(30_000);
    expect(refreshDelay('2025-12-31T23:00:00Z', now)).toBe(0);
    expect(refreshDelay('not a date', now)).toBe(0);
  });
});

describe(readConfig.name, () => {
  it('talks to /graphql on its own origin by default', () => {
    expect(readConfig('', 'https://hub.example/player/')).toMatchObject({
      gatewayUrl: 'https://hub.example/graphql',
      wsUrl: 'wss://hub.example/graphql',
      playbackUrl: 'https://hub.example/graphql',
      clockwise: true,
    });
  });

  it('takes ?gateway= as an origin or a full URL, and separate ws/playback endpoints', () => {
    expect(readConfig('?gateway=http://127.0.0.1:4000', 'http://x')).toMatchObject({
      gatewayUrl: 'http://127.0.0.1:4000/graphql',
      wsUrl: 'ws://127.0.0.1:4000/graphql',
    });
    const c = readConfig(
      '?gateway=http://g/graphql&ws=ws://c:1/graphql&playback=http://p/graphql&rotate=ccw',
      'http://x',
    );
    expect(c).toEqual({
      gatewayUrl: 'http://g/graphql',
      wsUrl: 'ws://c:1/graphql',
      playbackUrl: 'http://p/graphql',
      clockwise: false,
    });
  });
});

describe(mediaKind.name, () => {
  it('maps MIME types to how they are shown', () => {
    expect(mediaKind('image/png')).toBe('image');
    expect(mediaKind('video/mp4')).toBe('video');
    expect(mediaKind('text/html; charset=utf-8')).toBe('html');
    expect(mediaKind('application/pdf')).toBe('unknown');
  });
});
