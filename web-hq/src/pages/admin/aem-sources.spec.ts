import { describe, expect, it } from 'vitest';
import {
  createInput,
  describeHealth,
  emptySourceForm,
  hasChanges,
  serverFieldProblems,
  sourceFormFrom,
  sourceProblems,
  updateInput,
  type SourceForm,
  type StoredSource,
} from './aem-sources';

const date = (iso: string) => `at ${iso.slice(11, 16)}`;

describe(describeHealth.name, () => {
  it('says a source nothing was read from yet is not checked', () => {
    expect(describeHealth({ status: 'UNKNOWN', consecutiveFailures: 0 }, date)).toMatchObject({
      label: 'Not checked yet',
      problem: null,
    });
  });

  it('says when a working source last worked', () => {
    const view = describeHealth({ status: 'OK', lastSuccessAt: '2026-12-06T10:15:00Z', consecutiveFailures: 0 }, date);
    expect(view).toEqual({
      status: 'OK',
      label: 'Connected',
      summary: 'Last read worked at 10:15.',
      problem: null,
    });
  });

  it('says a failing source’s reason in words, how often and since when', () => {
    const view = describeHealth(
      {
        status: 'FAILING',
        lastSuccessAt: '2026-12-06T09:00:00Z',
        lastErrorAt: '2026-12-06T10:15:00Z',
        lastErrorCode: 'UNAUTHORIZED',
        consecutiveFailures: 3,
      },
      date,
    );
    expect(view.label).toBe('Failing');
    expect(view.summary).toBe('Reads failed 3 times in a row. Last failure at 10:15. Last worked at 09:00.');
    expect(view.problem).toMatch(/refused the credentials/);
    expect(view.problem).not.toContain('UNAUTHORIZED');
  });

  it.each([
    ['UNREACHABLE', /cannot be reached/],
    ['TOKEN_EXCHANGE_FAILED', /access token/],
    ['FORBIDDEN', /read access/],
    ['CIRCUIT_OPEN', /pause/],
  ] as const)('explains %s', (code, words) => {
    const view = describeHealth(
      { status: 'FAILING', lastErrorCode: code, lastErrorAt: '2026-12-06T10:15:00Z', consecutiveFailures: 1 },
      date,
    );
    expect(view.problem).toMatch(words);
    expect(view.summary).toBe('Reads failed once. Last failure at 10:15. Never worked yet.');
  });
});

const filled = (over: Partial<SourceForm> = {}): SourceForm => ({
  name: 'Author',
  baseUrl: 'https://author.example.com',
  authKind: 'BASIC',
  username: 'reader',
  secret: 'pw',
  ...over,
});

const stored: StoredSource = {
  name: 'Author',
  baseUrl: 'https://author.example.com',
  authKind: 'BASIC',
  username: 'reader',
  hasSecret: true,
};

describe(sourceProblems.name, () => {
  it('accepts a complete form', () => {
    expect(sourceProblems(filled())).toEqual({});
  });

  it('names every missing field of a new source', () => {
    expect(sourceProblems(emptySourceForm())).toEqual({
      name: 'Enter a name.',
      baseUrl: 'Enter the address of the AEM service.',
      username: 'Enter the AEM user.',
      secret: 'Enter the password.',
    });
  });

  it.each(['not a url', 'author.example.com', 'ftp://author.example.com', 'https://'])(
    'refuses the base URL %j',
    (baseUrl) => {
      expect(sourceProblems(filled({ baseUrl })).baseUrl).toMatch(/full address starting with https:\/\//);
    },
  );

  it('lets an edit keep the stored secret, unless the kind of sign-in changes', () => {
    expect(sourceProblems(filled({ secret: '' }), stored)).toEqual({});
    expect(sourceProblems(filled({ authKind: 'BEARER', secret: '' }), stored)).toEqual({
      secret: 'Enter the token.',
    });
    expect(sourceProblems(filled({ authKind: 'NONE', secret: '' }), stored)).toEqual({});
  });

  it('wants the Developer Console JSON for service credentials', () => {
    expect(sourceProblems(filled({ authKind: 'SERVICE_CREDENTIALS', secret: 'abc' })).secret).toMatch(/whole JSON/);
    expect(sourceProblems(filled({ authKind: 'SERVICE_CREDENTIALS', secret: '{"integration":{}}' }))).toEqual({});
  });
});

describe(createInput.name, () => {
  it('sends the user only for BASIC and no secret for NONE', () => {
    expect(createInput(filled({ name: ' Author ', baseUrl: ' https://a.example ' }))).toEqual({
      name: 'Author',
      baseUrl: 'https://a.example',
      authKind: 'BASIC',
      username: 'reader',
      secret: 'pw',
    });
    expect(createInput(filled({ authKind: 'NONE' }))).toMatchObject({ username: null, secret: null });
    expect(createInput(filled({ authKind: 'BEARER', secret: 'tok' }))).toMatchObject({ username: null, secret: 'tok' });
  });
});

describe(updateInput.name, () => {
  it('sends nothing but the id when nothing changed (the empty secret keeps the stored one)', () => {
    const input = updateInput('s1', sourceFormFrom(stored), stored);
    expect(input).toEqual({ id: 's1' });
    expect(hasChanges(input)).toBe(false);
  });

  it('sends what changed, and a new secret only when one is typed', () => {
    expect(updateInput('s1', filled({ baseUrl: 'https://new.example', secret: '' }), stored)).toEqual({
      id: 's1',
      baseUrl: 'https://new.example',
    });
    expect(updateInput('s1', filled({ username: 'other', secret: 'new-pw' }), stored)).toEqual({
      id: 's1',
      username: 'other',
      secret: 'new-pw',
    });
    expect(updateInput('s1', filled({ authKind: 'NONE', secret: 'ignored' }), stored)).toEqual({
      id: 's1',
      authKind: 'NONE',
    });
  });
});

describe(serverFieldProblems.name, () => {
  it('puts BAD_USER_INPUT and CONFLICT under the field they name', () => {
    expect(
      serverFieldProblems([
        { message: 'baseUrl must be https://', extensions: { code: 'BAD_USER_INPUT', field: 'baseUrl' } },
        { message: 'An AEM source named "A" exists already', extensions: { code: 'CONFLICT', field: 'name' } },
      ]),
    ).toEqual({
      fields: { baseUrl: 'baseUrl must be https://', name: 'An AEM source named "A" exists already' },
      rest: false,
    });
  });

  it('reads argument validation lists and keeps the others for a notice', () => {
    expect(
      serverFieldProblems([
        {
          message: 'Argument Validation Error',
          extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'input.secret', messages: ['too long'] }] },
        },
        { message: 'Not allowed', extensions: { code: 'FORBIDDEN' } },
      ]),
    ).toEqual({ fields: { secret: 'too long' }, rest: true });
    expect(serverFieldProblems(undefined)).toEqual({ fields: {}, rest: false });
  });
});
