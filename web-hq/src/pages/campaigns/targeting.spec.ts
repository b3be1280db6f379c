import { describe, expect, it } from 'vitest';
import { addRule, describeTargeting, emptyTargeting, removeRule } from './targeting';

describe(addRule.name, () => {
  it('adds a rule once, trimmed, and moves it out of the other side', () => {
    let t = addRule(emptyTargeting(), 'exclude', { kind: 'DISPLAY_TAG', value: 'window' });
    t = addRule(t, 'include', { kind: 'DISPLAY_TAG', value: ' window ' });
    t = addRule(t, 'include', { kind: 'DISPLAY_TAG', value: 'window' });
    expect(t).toEqual({ include: [{ kind: 'DISPLAY_TAG', value: 'window' }], exclude: [] });
    expect(addRule(t, 'include', { kind: 'STORE_TAG', value: '  ' })).toBe(t);
    expect(removeRule(t, 'include', { kind: 'DISPLAY_TAG', value: 'window' })).toEqual(emptyTargeting());
  });

  it('describes targeting for lists', () => {
    expect(describeTargeting(emptyTargeting())).toBe('Every display');
    expect(
      describeTargeting({
        include: [{ kind: 'DISPLAY_TAG', value: 'window' }],
        exclude: [{ kind: 'ORIENTATION', value: 'LANDSCAPE' }],
      }),
    ).toBe('Display tag window; not Orientation LANDSCAPE');
  });
});
