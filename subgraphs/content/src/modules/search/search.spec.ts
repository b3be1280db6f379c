import { randomUUID } from 'node:crypto';
import {
  aemCreativeRequestedEventV1,
  campaignEventV1,
  type CampaignEventV1,
  creativeEventV1,
  type CreativeEventV1,
} from '@phub/contracts';
import { DEMO_TENANT_ID } from '@phub/kit';
import { waitFor } from '@phub/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AemServer } from '../../testing/aem-server.js';
import { startContent, type ContentHarness, type Who } from '../../testing/harness.js';
import { describeSearchContract } from './search.contract.js';
import { OpenSearchIndex, toSimpleQueryString } from './search.opensearch.js';
import { PostgresSearchIndex } from './search.postgres.js';
import { SearchService } from './search.service.js';

// The contract on Postgres, always: the content schema of a fresh database on the real server.
let pgHarness: ContentHarness;
describeSearchContract(
  'Postgres full-text search',
  async () => {
    pgHarness = await startContent();
    return new PostgresSearchIndex({ query: async (sql, p) => (await pgHarness.db.query(sql, p)).rows }, 'content');
  },
  () => pgHarness?.stop(),
);

// The same contract on OpenSearch, when a server is given (none can run on this project's machines).
const OPENSEARCH_URL = process.env.OPENSEARCH_URL;
if (OPENSEARCH_URL) {
  const index = OpenSearchIndex.fromUrl(OPENSEARCH_URL, `phub-content-contract-${randomUUID().slice(0, 8)}`);
  describeSearchContract(
    'OpenSearch',
    async () => index,
    async () => {
      await index.drop();
      await index.close();
    },
  );
} else {
  describe.skip('OpenSearch (SearchIndex contract): skipped, OPENSEARCH_URL is not set', () => {
    it('runs the contract against an OpenSearch server', () => undefined);
  });
}

describe(toSimpleQueryString.name, () => {
  it.each([
    ['spring sale', 'spring sale'],
    ['poster or soup', 'poster | soup'],
    ['"flat whites" -tea', '"flat whites" -tea'],
    ['oregano', 'oregano'],
  ])('%s → %s', (web, simple) => expect(toSimpleQueryString(web)).toBe(simple));
});

/** Search through the graph, fed the ways the running subgraph is fed: campaign events, AEM creatives, browsing. */
describe(SearchService.name, () => {
  let h: ContentHarness;
  let aem: AemServer;
  let sourceId: string;
  const SEARCH = `query ($q: String!, $kinds: [SearchKind!], $first: Int) {
    search(query: $q, kinds: $kinds, first: $first) {
      kind id title snippet aemSourceId aemPath campaign { id } creative { id } source { name }
    }
  }`;
  type Hit = {
    kind: string;
    id: string;
    title: string;
    snippet: string | null;
    aemPath: string | null;
    campaign: { id: string } | null;
    creative: { id: string } | null;
    source: { name: string } | null;
  };
  const search = async (q: string, who: Who = 'hqEditor', more: Record<string, unknown> = {}) =>
    (await h.as<{ search: Hit[] }>(who, SEARCH, { q, ...more })).search;

  beforeAll(async () => {
    aem = await AemServer.start({ kind: 'basic', username: 'phub-reader', password: 'reader-secret' });
    aem.asset('/content/dam/phub/window-poster.png', 'Window poster', {
      original: { bytes: Buffer.from('89504e470d0a1a0a', 'hex'), mimeType: 'image/png' },
    });
    aem.fragment({
      id: 'cf-spring',
      path: '/content/dam/phub/offers/spring',
      title: 'Spring',
      modelId: 'offer',
      fields: { headline: 'Spring sale', body: 'Two flat whites for the price of one', price: '£19.99' },
    });
    h = await startContent();
    sourceId = (
      await h.as<{ createContentSource: { id: string } }>(
        'hqAdmin',
        `mutation { createContentSource(input: { name: "Author", baseUrl: "${aem.url}", authKind: BASIC, username: "phub-reader", secret: "reader-secret" }) { id } }`,
      )
    ).createContentSource.id;
  });
  afterAll(async () => {
    await h?.stop();
    await aem?.close();
  });

  it('runs on Postgres without OPENSEARCH_URL', () => {
    expect(h.service.search()!.implementation).toBe('postgres');
  });

  it('finds what HQ browsed in AEM: folders, assets and fragments by their words, with their source', async () => {
    await h.as('hqEditor', `query ($s: ID!) { aemBrowse(sourceId: $s, path: "/content/dam/phub") { path } }`, {
      s: sourceId,
    });
    await h.as('hqEditor', `query ($s: ID!) { aemFragments(sourceId: $s, path: "/content/dam/phub") { cursor } }`, {
      s: sourceId,
    });
    const [poster] = await search('poster');
    expect(poster).toMatchObject({
      kind: 'AEM_CONTENT',
      id: `${sourceId}:/content/dam/phub/window-poster.png`,
      title: 'Window poster',
      aemPath: '/content/dam/phub/window-poster.png',
      source: { name: 'Author' },
      campaign: null,
      creative: null,
    });
    const [fragment] = await search('"flat whites"', 'hqViewer', { kinds: ['AEM_CONTENT'] });
    expect(fragment).toMatchObject({ title: 'Spring sale', aemPath: '/content/dam/phub/offers/spring' });
    expect(fragment!.snippet).toContain('«flat» «whites»');
  });

  it('finds campaigns from campaign’s events, as Campaign references; archived ones no more', async () => {
    const id = randomUUID();
    const event = (status: CampaignEventV1['campaign']['status'], name: string, at: number): CampaignEventV1 => ({
      type: 'CampaignStatusChanged',
      occurredAt: new Date(at).toISOString(),
      campaign: {
        id,
        tenantId: DEMO_TENANT_ID,
        name,
        status,
        storeId: null,
        ownerId: 'user-1',
        priority: 1,
        weight: 1,
        creativeIds: [],
        pausedStoreIds: [],
        updatedAt: new Date(at).toISOString(),
      },
    });
    const publish = (e: CampaignEventV1) =>
      h.infra.bus.publish(campaignEventV1.topic, [{ key: id, value: e as unknown as Record<string, unknown> }]);
    await publish(event('DRAFT', 'Breakfast window takeover', Date.now()));
    const hits = await waitFor(async () => {
      const r = await search('breakfast takeover', 'hqViewer');
      return r.length ? r : null;
    });
    expect(hits).toEqual([
      expect.objectContaining({ kind: 'CAMPAIGN', id, title: 'Breakfast window takeover', campaign: { id } }),
    ]);
    // Another tenant's HQ finds nothing of it.
    expect(await search('breakfast', 'otherAdmin')).toEqual([]);
    await publish(event('ARCHIVED', 'Breakfast window takeover', Date.now() + 1000));
    await waitFor(async () => ((await search('breakfast')).length === 0 ? true : null));
  });

  it('finds library creatives from campaign’s creative events by name and tags; archived ones no more', async () => {
    const id = randomUUID();
    const event = (name: string, archived: boolean, at: number, kind = 'IMAGE'): CreativeEventV1 => ({
      occurredAt: new Date(at).toISOString(),
      creative: {
        id,
        tenantId: DEMO_TENANT_ID,
        name,
        kind,
        status: 'READY',
        tags: ['autumn', 'window'],
        archived,
        updatedAt: new Date(at).toISOString(),
      },
    });
    const publish = (e: CreativeEventV1) =>
      h.infra.bus.publish(creativeEventV1.topic, [{ key: id, value: e as unknown as Record<string, unknown> }]);
    await publish(event('Pumpkin latte poster', false, Date.now()));
    const [hit] = await waitFor(async () => {
      const r = await search('pumpkin autumn', 'hqViewer', { kinds: ['CREATIVE'] });
      return r.length ? r : null;
    });
    expect(hit).toMatchObject({ kind: 'CREATIVE', id, title: 'Pumpkin latte poster', creative: { id } });
    expect(await search('pumpkin', 'otherAdmin')).toEqual([]);
    // A rename wins; an older event arriving late does not undo it.
    await publish(event('Cinnamon latte poster', false, Date.now() + 1000));
    await publish(event('Pumpkin latte poster', false, Date.now() - 60_000));
    await waitFor(async () => ((await search('cinnamon')).length === 1 ? true : null));
    expect(await search('pumpkin')).toEqual([]);
    await publish(event('Cinnamon latte poster', true, Date.now() + 2000));
    await waitFor(async () => ((await search('cinnamon')).length === 0 ? true : null));
  });

  it('finds an AEM creative by its content’s words once copied, as a Creative reference', async () => {
    const creativeId = randomUUID();
    await h.infra.bus.publish(aemCreativeRequestedEventV1.topic, [
      {
        key: creativeId,
        value: {
          tenantId: DEMO_TENANT_ID,
          creativeId,
          sourceId,
          aemPath: '/content/dam/phub/offers/spring',
          template: 'HEADLINE_BODY_IMAGE_PRICE',
          occurredAt: new Date().toISOString(),
        },
      },
    ]);
    const [hit] = await waitFor(async () => {
      const r = await search('19.99', 'hqEditor', { kinds: ['CREATIVE'] });
      return r.length ? r : null;
    });
    expect(hit).toMatchObject({ kind: 'CREATIVE', id: creativeId, title: 'Spring sale', creative: { id: creativeId } });
  });

  it.each([
    ['manager', 'FORBIDDEN'],
    ['staff', 'FORBIDDEN'],
    ['partner', 'FORBIDDEN'],
    ['device', 'FORBIDDEN'],
  ] as const)('refuses %s: %s', async (who, code) => {
    const res = await h.gql(SEARCH, { q: 'spring' }, await h.token(who));
    expect(res.errors?.[0]?.extensions?.code).toBe(code);
  });

  it.each([
    ['   ', 1],
    ['x'.repeat(201), 1],
    ['spring', 0],
    ['spring', 101],
  ])('bad input %j (first %i) is BAD_USER_INPUT', async (q, first) => {
    const res = await h.gql(SEARCH, { q, first }, await h.token('hqAdmin'));
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
