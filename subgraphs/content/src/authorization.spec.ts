import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AemServer } from './testing/aem-server.js';
import { startContent, type ContentHarness, type Who } from './testing/harness.js';

type Outcome = 'ok' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'NOT_FOUND';
type Caller = Who | 'anonymous';
const CALLERS: Caller[] = ['anonymous', 'hqAdmin', 'hqEditor', 'hqViewer', 'manager', 'staff', 'partner', 'device'];

const only = (allowed: Who[]): Record<Caller, Outcome> =>
  Object.fromEntries(
    CALLERS.map((c) => [c, c === 'anonymous' ? 'UNAUTHENTICATED' : allowed.includes(c as Who) ? 'ok' : 'FORBIDDEN']),
  ) as Record<Caller, Outcome>;

interface Operation {
  name: string;
  query: string;
  vars: (ids: { sourceId: string }) => Record<string, unknown>;
  expect: Record<Caller, Outcome>;
}

const OPERATIONS: Operation[] = [
  {
    name: 'contentSources',
    query: '{ contentSources { id } }',
    vars: () => ({}),
    expect: only(['hqAdmin', 'hqEditor', 'hqViewer']),
  },
  {
    name: 'contentSource (health)',
    query: 'query($id: ID!) { contentSource(id: $id) { id health { status circuitState } } }',
    vars: ({ sourceId }) => ({ id: sourceId }),
    expect: only(['hqAdmin', 'hqEditor', 'hqViewer']),
  },
  {
    name: 'aemBrowse',
    query: 'query($id: ID!) { aemBrowse(sourceId: $id, path: "/content") { path } }',
    vars: ({ sourceId }) => ({ id: sourceId }),
    expect: only(['hqAdmin', 'hqEditor']),
  },
  {
    name: 'aemFragments',
    query: 'query($id: ID!) { aemFragments(sourceId: $id) { cursor } }',
    vars: ({ sourceId }) => ({ id: sourceId }),
    expect: only(['hqAdmin', 'hqEditor']),
  },
  {
    name: 'search',
    query: '{ search(query: "site") { id } }',
    vars: () => ({}),
    expect: only(['hqAdmin', 'hqEditor', 'hqViewer']),
  },
  {
    name: 'createContentSource',
    query: `mutation { createContentSource(input: { name: "n-${'$'}{rand}", baseUrl: "https://aem.example", authKind: NONE }) { id } }`,
    vars: () => ({}),
    expect: only(['hqAdmin']),
  },
  {
    name: 'updateContentSource',
    query: 'mutation($id: ID!) { updateContentSource(input: { id: $id, baseUrl: "https://aem.example" }) { id } }',
    vars: ({ sourceId }) => ({ id: sourceId }),
    expect: only(['hqAdmin']),
  },
  {
    name: 'testContentSource',
    query: 'mutation($id: ID!) { testContentSource(id: $id) { id } }',
    vars: ({ sourceId }) => ({ id: sourceId }),
    expect: only(['hqAdmin']),
  },
];

describe('content authorization', () => {
  let h: ContentHarness;
  let aem: AemServer;
  let sourceId: string;
  let foreignId: string;
  const tokens: Partial<Record<Caller, string>> = {};

  beforeAll(async () => {
    aem = await AemServer.start({ kind: 'none' });
    aem.page('/content/site', 'Site');
    h = await startContent();
    for (const c of CALLERS) if (c !== 'anonymous') tokens[c] = await h.token(c);
    const create = async (who: Who, name: string) =>
      (
        await h.as<{ createContentSource: { id: string } }>(
          who,
          `mutation($i: CreateContentSourceInput!) { createContentSource(input: $i) { id } }`,
          { i: { name, baseUrl: aem.url, authKind: 'NONE' } },
        )
      ).createContentSource.id;
    sourceId = await create('hqAdmin', 'Own');
    foreignId = await create('otherAdmin', 'Foreign');
  });
  afterAll(async () => {
    await h?.stop();
    await aem?.close();
  });

  const cases = OPERATIONS.flatMap((op) => CALLERS.map((who) => [op.name, who, op.expect[who], op] as const));

  it.each(cases)('%s as %s → %s', async (_name, who, outcome, op) => {
    const query = op.query.replace('${rand}', Math.random().toString(36).slice(2));
    const res = await h.gql(query, op.vars({ sourceId }), tokens[who]);
    if (outcome === 'ok') expect(res.errors).toBeUndefined();
    else expect(res.errors?.[0]?.extensions?.code).toBe(outcome);
  });

  it('deleteContentSource is for HQ admins only', async () => {
    const victim = (
      await h.as<{ createContentSource: { id: string } }>(
        'hqAdmin',
        `mutation { createContentSource(input: { name: "to-delete", baseUrl: "https://aem.example", authKind: NONE }) { id } }`,
      )
    ).createContentSource.id;
    for (const who of CALLERS.filter((c) => c !== 'hqAdmin')) {
      const res = await h.gql('mutation($id: ID!) { deleteContentSource(id: $id) }', { id: victim }, tokens[who]);
      expect(res.errors?.[0]?.extensions?.code).toBe(who === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN');
    }
    expect(
      (await h.as('hqAdmin', 'mutation($id: ID!) { deleteContentSource(id: $id) }', { id: victim }))
        .deleteContentSource,
    ).toBe(true);
  });

  describe('another tenant’s source', () => {
    it('is not in the list and NOT_FOUND by id, for reads, browsing and every change', async () => {
      const list = await h.as<{ contentSources: { id: string }[] }>('hqAdmin', '{ contentSources { id } }');
      expect(list.contentSources.map((s) => s.id)).not.toContain(foreignId);
      const before = aem.requests.length;
      for (const query of [
        'query($id: ID!) { contentSource(id: $id) { id } }',
        'query($id: ID!) { aemBrowse(sourceId: $id) { path } }',
        'query($id: ID!) { aemFragments(sourceId: $id) { cursor } }',
        'mutation($id: ID!) { updateContentSource(input: { id: $id, name: "hacked" }) { id } }',
        'mutation($id: ID!) { testContentSource(id: $id) { id } }',
        'mutation($id: ID!) { deleteContentSource(id: $id) }',
      ]) {
        const res = await h.gql(query, { id: foreignId }, tokens.hqAdmin);
        expect(res.errors?.[0]?.extensions?.code, query).toBe('NOT_FOUND');
      }
      // Nothing was read from AEM on the other tenant's behalf, and its source is unchanged.
      expect(aem.requests.length).toBe(before);
      const theirs = await h.as<{ contentSource: { name: string } }>(
        'otherAdmin',
        'query($id: ID!) { contentSource(id: $id) { name } }',
        {
          id: foreignId,
        },
      );
      expect(theirs.contentSource.name).toBe('Foreign');
    });
  });
});
