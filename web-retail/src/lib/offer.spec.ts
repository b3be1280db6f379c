import { describe, expect, it } from 'vitest';
import { offerUrl, scanOnce } from './offer';

function memoryStorage() {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
}

describe(scanOnce.name, () => {
  it('counts the first opening of a campaign in a session only', async () => {
    const storage = memoryStorage();
    const calls: [string, boolean][] = [];
    const load = (id: string) => (count: boolean) => {
      calls.push([id, count]);
      return Promise.resolve(true);
    };
    await scanOnce(storage, 'a', load('a'));
    await scanOnce(storage, 'a', load('a'));
    await scanOnce(storage, 'b', load('b'));
    expect(calls).toEqual([
      ['a', true],
      ['a', false],
      ['b', true],
    ]);
  });

  it('counts again after a failed first load', async () => {
    const storage = memoryStorage();
    const counted: boolean[] = [];
    await scanOnce(storage, 'a', (count) => {
      counted.push(count);
      return Promise.resolve(false);
    });
    await scanOnce(storage, 'a', (count) => {
      counted.push(count);
      return Promise.resolve(true);
    });
    expect(counted).toEqual([true, true]);
  });
});

describe(offerUrl.name, () => {
  it('builds the public page address under the app’s base, with or without its slash', () => {
    expect(offerUrl('https://shop.example/retail/', 'c1')).toBe('https://shop.example/retail/v/offer/c1');
    expect(offerUrl('https://shop.example/retail', 'c 1')).toBe('https://shop.example/retail/v/offer/c%201');
  });
});
