import { describe, expect, it } from 'vitest';
import { who } from './campaign-history';

describe('who', () => {
  const me = '00000000-0000-4000-8000-00000000a001';
  const other = '00000000-0000-4000-8000-00000000a002';
  it('names the viewer "you", automatic steps the platform, others by display name (emails are not theirs to read), or a short id', () => {
    expect(who({ actorId: me, actor: { displayName: 'Me' } }, me)).toBe('you');
    expect(who({ actorId: 'system', actor: null }, me)).toBe('the platform (automatic)');
    expect(who({ actorId: other, actor: { displayName: 'Ana Editor' } }, me)).toBe('Ana Editor');
    expect(who({ actorId: other, actor: { displayName: '' } }, me)).toBe('user …00a002');
    expect(who({ actorId: other, actor: null }, me)).toBe('user …00a002');
  });
});
