import { describe, expect, it } from 'vitest';
import { describeError, errorCode, fieldErrors } from './errors';

const combined = (
  errors: { message: string; code?: string; extra?: Record<string, unknown> }[],
  networkError?: Error,
) => ({
  message: errors[0]?.message ?? networkError?.message ?? '',
  networkError,
  graphQLErrors: errors.map((e) => ({ message: e.message, extensions: { code: e.code, ...e.extra } })),
});

describe(describeError.name, () => {
  it.each([
    ['UNAUTHENTICATED', 'You are signed out'],
    ['FORBIDDEN', 'Not allowed'],
    ['NOT_FOUND', 'Not found'],
    ['BAD_USER_INPUT', 'Please check your input'],
    ['CONFLICT', 'Conflicting change'],
    ['RATE_LIMITED', 'Too many attempts'],
    ['SUBGRAPH_UNAVAILABLE', 'A service is unavailable'],
    ['INTERNAL_SERVER_ERROR', 'Something went wrong'],
  ])('%s → “%s”, with the code and the platform’s message', (code, title) => {
    const view = describeError(combined([{ message: `server says ${code}`, code }]));
    expect(view).toMatchObject({ code, title });
    expect(view.details).toEqual([`server says ${code}`]);
  });

  it('keeps an unknown code visible with a generic message', () => {
    expect(describeError(combined([{ message: 'x', code: 'SOMETHING_NEW' }]))).toMatchObject({
      code: 'SOMETHING_NEW',
      title: 'Something went wrong',
    });
  });

  it('names a network failure', () => {
    const view = describeError(combined([], new Error('Failed to fetch')));
    expect(view).toMatchObject({
      code: 'NETWORK_ERROR',
      title: 'Cannot reach the platform',
      details: ['Failed to fetch'],
    });
  });

  it('reads a code set on a plain Error (client-side refusals)', () => {
    expect(errorCode(Object.assign(new Error('no'), { code: 'FORBIDDEN' }))).toBe('FORBIDDEN');
    expect(errorCode(new Error('boom'))).toBe('INTERNAL_SERVER_ERROR');
  });

  it('lists each distinct message once', () => {
    const view = describeError(combined([{ message: 'a', code: 'CONFLICT' }, { message: 'a' }, { message: 'b' }]));
    expect(view.details).toEqual(['a', 'b']);
  });
});

describe(fieldErrors.name, () => {
  it('maps BAD_USER_INPUT fields to messages by path', () => {
    const error = combined([
      {
        message: 'Invalid input',
        code: 'BAD_USER_INPUT',
        extra: { fields: [{ field: 'input.name', messages: ['name must be shorter', 'no tabs'] }] },
      },
    ]);
    expect(fieldErrors(error)).toEqual({ 'input.name': 'name must be shorter, no tabs' });
    expect(fieldErrors(undefined)).toEqual({});
  });
});

describe('describeError overrides', () => {
  it('lets a page say a code its own way', () => {
    const error = combined([{ message: 'Invalid email or password', code: 'UNAUTHENTICATED' }]);
    expect(
      describeError(error, { UNAUTHENTICATED: { title: 'Wrong email or password', hint: 'Try again.' } }),
    ).toMatchObject({
      code: 'UNAUTHENTICATED',
      title: 'Wrong email or password',
    });
  });
});
