import { describe, expect, it } from 'vitest';
import { addToast, errorToast, MAX_TOASTS, type ToastItem } from './toast-state';

let next = 1;
const toast = (kind: ToastItem['kind'], message: string, topic?: string): ToastItem => ({
  id: next++,
  kind,
  message,
  ...(topic ? { topic } : {}),
});
const messages = (all: ToastItem[]) => all.map((t) => `${t.kind}:${t.message}`);

describe(addToast.name, () => {
  it(`keeps at most ${MAX_TOASTS}, dropping the oldest`, () => {
    let all: ToastItem[] = [];
    for (const m of ['a', 'b', 'c', 'd', 'e']) all = addToast(all, toast('info', m));
    expect(messages(all)).toEqual(['info:c', 'info:d', 'info:e']);
    expect(addToast(all, toast('info', 'f'), 1).map((t) => t.message)).toEqual(['f']);
  });

  it.each([
    ['a success without a topic clears every error', undefined, ['x', 'y'], []],
    ['a success clears the errors of its topic only', 'x', ['x', 'y'], ['error:failed y']],
    ['a success with a topic clears errors that have none', 'x', [undefined, 'y'], ['error:failed y']],
  ] as const)('%s', (_, successTopic, errorTopics, left) => {
    let all: ToastItem[] = [];
    for (const t of errorTopics) all = addToast(all, toast('error', `failed ${t ?? 'somehow'}`, t));
    all = addToast(all, toast('info', 'note'));
    all = addToast(all, toast('success', 'done', successTopic));
    expect(messages(all)).toEqual([...left, 'info:note', 'success:done']);
  });

  it('shows a repeated message once, as the newest', () => {
    let all = addToast([], toast('error', 'Could not save'));
    all = addToast(all, toast('info', 'note'));
    all = addToast(all, toast('error', 'Could not save'));
    expect(messages(all)).toEqual(['info:note', 'error:Could not save']);
  });

  it('replaces the earlier errors of a topic with the latest one, and leaves other topics and successes', () => {
    let all = addToast([], toast('error', 'invalid', 'settings'));
    all = addToast(all, toast('error', 'other failed', 'alert'));
    all = addToast(all, toast('success', 'saved a'));
    all = addToast(all, toast('error', 'offline', 'settings'));
    expect(messages(all)).toEqual(['success:saved a', 'error:offline']);
    all = addToast(addToast([], toast('error', 'x', 'alert')), toast('error', 'y', 'settings'));
    expect(messages(addToast(all, toast('error', 'z', 'settings')))).toEqual(['error:x', 'error:z']);
  });

  it('leaves errors alone when an info arrives', () => {
    const all = addToast(addToast([], toast('error', 'failed')), toast('info', 'note'));
    expect(messages(all)).toEqual(['error:failed', 'info:note']);
  });
});

describe(errorToast.name, () => {
  it('says what failed and what the code means in words; the code and messages go to the details', () => {
    const error = {
      message: '[GraphQL] Only HQ admins approve',
      graphQLErrors: [{ message: 'Only HQ admins approve', extensions: { code: 'FORBIDDEN' } }],
    };
    const t = errorToast('Could not approve “Autumn Sale”', error);
    expect(t.message).toBe(
      'Could not approve “Autumn Sale”. Your role does not allow this. Ask an HQ administrator if you need it.',
    );
    expect(t.message).not.toContain('FORBIDDEN');
    expect(t.code).toBe('FORBIDDEN');
    expect(t.details).toEqual(['Only HQ admins approve']);
  });

  it('names a network failure in words', () => {
    const t = errorToast('Could not save:', { message: 'x', networkError: new Error('Failed to fetch') });
    expect(t.message).toMatch(/^Could not save\. Check your connection/);
    expect(t.code).toBe('NETWORK_ERROR');
  });

  it('takes a plain sentence as it is', () => {
    expect(errorToast('Could not download', 'The file is empty.')).toEqual({
      message: 'Could not download. The file is empty.',
    });
  });
});
