import { describe, expect, it } from 'vitest';
import { folderTrail, fragmentGist, matchFragments, matchNodes, suggestedName } from './aem-content';

describe(folderTrail.name, () => {
  it.each([
    ['/content/dam', [['Assets', '/content/dam']]],
    [
      '/content/dam/phub/offers',
      [
        ['Assets', '/content/dam'],
        ['phub', '/content/dam/phub'],
        ['offers', '/content/dam/phub/offers'],
      ],
    ],
    [
      '/content/screens/acme',
      [
        ['Content', '/content'],
        ['screens', '/content/screens'],
        ['acme', '/content/screens/acme'],
      ],
    ],
    // A dam-like prefix is not the DAM.
    [
      '/content/damage',
      [
        ['Content', '/content'],
        ['damage', '/content/damage'],
      ],
    ],
  ])('%s', (path, trail) => {
    expect(folderTrail(path).map((t) => [t.name, t.path])).toEqual(trail);
  });
});

describe(matchNodes.name, () => {
  const nodes = [
    { name: 'spring.jpg', path: '/content/dam/phub/spring.jpg', title: 'Spring window' },
    { name: 'autumn.png', path: '/content/dam/phub/autumn.png', title: null },
    { name: 'offers', path: '/content/dam/phub/offers', title: 'Offers' },
  ];
  it.each([
    ['', ['spring.jpg', 'autumn.png', 'offers']],
    ['SPRING', ['spring.jpg']],
    ['window spring', ['spring.jpg']],
    ['png', ['autumn.png']],
    ['phub', ['spring.jpg', 'autumn.png', 'offers']],
    ['winter', []],
  ])('“%s”', (q, names) => {
    expect(matchNodes(nodes, q).map((n) => n.name)).toEqual(names);
  });
});

describe(matchFragments.name, () => {
  const items = [
    { path: '/content/dam/offers/spring', title: 'Spring', fields: { headline: 'Spring sale', price: '£19.99' } },
    { path: '/content/dam/offers/coffee', title: 'Coffee', fields: { body: { plaintext: 'Two flat whites' } } },
  ];
  it.each([
    ['sale', ['/content/dam/offers/spring']],
    ['19.99', ['/content/dam/offers/spring']],
    ['flat whites', ['/content/dam/offers/coffee']],
    ['offers', ['/content/dam/offers/spring', '/content/dam/offers/coffee']],
    ['tea', []],
  ])('“%s”', (q, paths) => {
    expect(matchFragments(items, q).map((f) => f.path)).toEqual(paths);
  });
});

describe(fragmentGist.name, () => {
  it('headline, shortened body and price', () => {
    const gist = fragmentGist({
      path: '/content/dam/o/x',
      title: 'X',
      fields: { headline: 'Spring sale', body: 'a'.repeat(120), price: '£19.99' },
    });
    expect(gist.heading).toBe('Spring sale');
    expect(gist.detail).toBe(`${'a'.repeat(89)}… · £19.99`);
  });
  it('falls back to the title, then the name', () => {
    expect(fragmentGist({ path: '/content/dam/o/x', title: 'Ex', fields: {} }).heading).toBe('Ex');
    expect(fragmentGist({ path: '/content/dam/o/x', title: null, fields: {} }).heading).toBe('x');
  });
});

describe(suggestedName.name, () => {
  it.each([
    [{ path: '/content/dam/a/b.jpg', title: 'Bee', heading: 'Headline' }, 'Headline'],
    [{ path: '/content/dam/a/b.jpg', title: 'Bee' }, 'Bee'],
    [{ path: '/content/dam/a/b.jpg', title: null }, 'b.jpg'],
  ])('%j → %s', (picked, name) => {
    expect(suggestedName(picked)).toBe(name);
  });
});
