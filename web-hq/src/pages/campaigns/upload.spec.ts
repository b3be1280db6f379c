import { describe, expect, it } from 'vitest';
import { kindOf, mimeOf, settableHeaders } from './upload';

describe(kindOf.name, () => {
  it.each([
    ['image/png', 'a.png', 'IMAGE'],
    ['video/mp4', 'a.mp4', 'VIDEO'],
    ['text/html', 'a.html', 'HTML'],
    ['', 'bundle.zip', 'HTML'],
    ['application/pdf', 'a.pdf', null],
  ])('%s (%s) → %s', (mime, name, kind) => expect(kindOf(mime, name)).toBe(kind));

  it('fills in types browsers leave empty and drops headers a page cannot set', () => {
    expect(mimeOf({ type: '', name: 'x.htm' })).toBe('text/html');
    expect(
      settableHeaders([
        { name: 'Content-Type', value: 'image/png' },
        { name: 'Content-Length', value: '12' },
      ]),
    ).toEqual([{ name: 'Content-Type', value: 'image/png' }]);
  });
});
