import { describe, expect, it } from 'vitest';
import { idleText } from './idle.js';

describe(idleText.name, () => {
  it.each([
    [
      { tenant: 'Demo Retail', display: 'Entrance wall', store: 'London Oxford Street' },
      'Demo Retail',
      'Entrance wall · London Oxford Street',
    ],
    [
      { tenant: null, display: 'Entrance wall', store: 'London Oxford Street' },
      'London Oxford Street',
      'Entrance wall',
    ],
    [{ tenant: '  ', display: null, store: null }, 'Personalisation Hub', ''],
    [{ tenant: 'Acme', display: 'Acme', store: null }, 'Acme', ''],
  ])('%j → %s / %s', (info, brand, detail) => {
    expect(idleText(info)).toEqual({ brand, detail });
  });
});
