import { describe, expect, it } from 'vitest';
import { objectFitOf } from './renderer.js';

describe(objectFitOf.name, () => {
  it.each([
    ['CONTAIN', 'contain'],
    ['COVER', 'cover'],
    ['FILL', 'fill'],
    // Playlists stored before fit modes, and values a newer platform may add, fit whole as before.
    [undefined, 'contain'],
    [null, 'contain'],
    ['ZOOM', 'contain'],
  ])('%s → %s', (fit, css) => {
    expect(objectFitOf(fit)).toBe(css);
  });
});
