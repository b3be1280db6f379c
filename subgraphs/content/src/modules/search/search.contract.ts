import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchDocument, SearchIndex, SearchKind, SearchRequest } from './search.index.js';

const T = Date.parse('2030-03-12T10:00:00.000Z');

/**
 * What every SearchIndex must answer alike. Each test writes under a tenant of its own, so the suite can run
 * against a shared server (an OpenSearch cluster) and beside other runs.
 */
export function describeSearchContract(name: string, open: () => Promise<SearchIndex>, close: () => Promise<void>) {
  describe(`${name} (SearchIndex contract)`, () => {
    let index: SearchIndex;
    beforeAll(async () => {
      index = await open();
    });
    afterAll(close);

    const doc = (
      tenantId: string,
      kind: SearchKind,
      refId: string,
      title: string,
      more: Partial<SearchDocument> = {},
    ) =>
      ({
        tenantId,
        kind,
        refId,
        title,
        body: '',
        sourceId: null,
        path: null,
        updatedAt: new Date(T),
        ...more,
      }) as SearchDocument;
    const find = async (tenantId: string, text: string, more: Partial<SearchRequest> = {}) =>
      (await index.search({ tenantId, text, first: 20, ...more })).map((h) => h.refId);

    /** A tenant with a campaign, two AEM creatives and AEM content. */
    async function seeded() {
      const tenant = randomUUID();
      const source = randomUUID();
      await index.upsert([
        doc(tenant, 'CAMPAIGN', 'c-spring', 'Spring sale windows', { body: 'LIVE' }),
        doc(tenant, 'CREATIVE', 'cr-spring', 'Spring sale', {
          body: 'Two flat whites for the price of one £19.99',
          sourceId: source,
          path: '/content/dam/phub/offers/spring',
        }),
        doc(tenant, 'CREATIVE', 'cr-autumn', 'Autumn warmers', {
          body: 'Soup of the day, spring onions on top',
          sourceId: source,
          path: '/content/dam/phub/offers/autumn',
        }),
        doc(tenant, 'AEM_CONTENT', `${source}:/content/dam/phub/window-poster.png`, 'Window poster', {
          body: 'image/png',
          sourceId: source,
          path: '/content/dam/phub/window-poster.png',
        }),
      ]);
      return { tenant, source };
    }

    it('finds by a word of the title or the body, whatever its case', async () => {
      const { tenant } = await seeded();
      expect((await find(tenant, 'AUTUMN')).sort()).toEqual(['cr-autumn']);
      expect(await find(tenant, 'whites')).toEqual(['cr-spring']);
      expect(await find(tenant, 'poster')).toHaveLength(1);
    });

    it('needs every word; "phrases" in order; -words left out; or', async () => {
      const { tenant } = await seeded();
      expect((await find(tenant, 'spring')).sort()).toEqual(['c-spring', 'cr-autumn', 'cr-spring']);
      expect((await find(tenant, 'spring sale')).sort()).toEqual(['c-spring', 'cr-spring']);
      expect(await find(tenant, '"flat whites"')).toEqual(['cr-spring']);
      expect(await find(tenant, '"whites flat"')).toEqual([]);
      expect((await find(tenant, 'spring -windows')).sort()).toEqual(['cr-autumn', 'cr-spring']);
      expect((await find(tenant, 'poster or soup')).length).toBe(2);
    });

    it('ranks a title match above a body-only match', async () => {
      const { tenant } = await seeded();
      const hits = await index.search({ tenantId: tenant, text: 'spring', first: 20, kinds: ['CREATIVE'] });
      expect(hits.map((h) => h.refId)).toEqual(['cr-spring', 'cr-autumn']);
      expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
    });

    it('searches the words of an AEM path, and says where the body matched', async () => {
      const { tenant, source } = await seeded();
      expect((await find(tenant, 'offers')).sort()).toEqual(['cr-autumn', 'cr-spring']);
      const [hit] = await index.search({ tenantId: tenant, text: 'whites', first: 5 });
      expect(hit).toMatchObject({ kind: 'CREATIVE', title: 'Spring sale', sourceId: source });
      expect(hit!.path).toBe('/content/dam/phub/offers/spring');
      expect(hit!.snippet).toContain('«whites»');
      const [titleOnly] = await index.search({ tenantId: tenant, text: 'warmers', first: 5 });
      expect(titleOnly!.snippet).toBeNull();
    });

    it('filters by kind and returns at most `first`', async () => {
      const { tenant } = await seeded();
      expect(await find(tenant, 'spring', { kinds: ['CAMPAIGN'] })).toEqual(['c-spring']);
      expect((await find(tenant, 'spring', { kinds: ['CAMPAIGN', 'CREATIVE'] })).length).toBe(3);
      expect(await find(tenant, 'spring', { first: 1 })).toHaveLength(1);
    });

    it('never answers with another tenant’s documents', async () => {
      const { tenant } = await seeded();
      const other = randomUUID();
      await index.upsert([doc(other, 'CAMPAIGN', 'c-other', 'Spring sale elsewhere')]);
      expect(await find(tenant, 'elsewhere')).toEqual([]);
      expect(await find(other, 'spring')).toEqual(['c-other']);
    });

    it('replaces a document by a newer state, never by an older one; removes it', async () => {
      const tenant = randomUUID();
      await index.upsert([doc(tenant, 'CAMPAIGN', 'c1', 'Breakfast deals', { updatedAt: new Date(T + 1000) })]);
      await index.upsert([doc(tenant, 'CAMPAIGN', 'c1', 'Lunch deals', { updatedAt: new Date(T + 2000) })]);
      expect(await find(tenant, 'breakfast')).toEqual([]);
      expect(await find(tenant, 'lunch')).toEqual(['c1']);
      await index.upsert([doc(tenant, 'CAMPAIGN', 'c1', 'Dinner deals', { updatedAt: new Date(T) })]);
      expect(await find(tenant, 'dinner')).toEqual([]);
      expect(await find(tenant, 'deals')).toEqual(['c1']);
      await index.remove(tenant, 'CAMPAIGN', 'c1');
      expect(await find(tenant, 'deals')).toEqual([]);
      await index.remove(tenant, 'CAMPAIGN', 'c1'); // removing what is not there is fine
    });

    it('with onlyNew, adds what is missing and leaves what is there', async () => {
      const tenant = randomUUID();
      await index.upsert([doc(tenant, 'AEM_CONTENT', 's:/a', 'Spring fragment', { body: 'flat whites' })]);
      await index.upsert(
        [
          doc(tenant, 'AEM_CONTENT', 's:/a', 'Spring asset', { updatedAt: new Date(T + 5000) }),
          doc(tenant, 'AEM_CONTENT', 's:/b', 'Autumn asset'),
        ],
        { onlyNew: true },
      );
      expect(await find(tenant, 'whites')).toEqual(['s:/a']);
      expect(await find(tenant, 'asset')).toEqual(['s:/b']);
    });

    it('finds nothing for words nobody wrote', async () => {
      const { tenant } = await seeded();
      expect(await find(tenant, 'zeppelin')).toEqual([]);
    });
  });
}
