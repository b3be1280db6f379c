import { Client } from '@opensearch-project/opensearch';
import {
  pathWords,
  type SearchDocument,
  type SearchHitRecord,
  type SearchIndex,
  type SearchKind,
  type SearchRequest,
} from './search.index.js';

/** As stored: the document, its path's words analysed apart, its time as ISO. */
type Indexed = Omit<SearchDocument, 'updatedAt'> & { pathWords: string; updatedAt: string };

/**
 * Web-search syntax in OpenSearch's `simple_query_string`: words all required (AND), "phrases", -excluded, and
 * websearch's `or` as its `|`. Analysed by the standard analyzer (lower-cased whole words), as Postgres's 'simple'.
 */
export const toSimpleQueryString = (text: string): string => text.replace(/\s+or\s+/gi, ' | ');

/** The same index in OpenSearch (OPENSEARCH_URL): one document per tenant, kind and reference. */
export class OpenSearchIndex implements SearchIndex {
  readonly name = 'opensearch';
  private ready: Promise<void> | undefined;

  constructor(
    private readonly client: Client,
    private readonly index: string,
  ) {}

  static fromUrl(url: string, index: string): OpenSearchIndex {
    return new OpenSearchIndex(new Client({ node: url }), index);
  }

  private id(tenantId: string, kind: SearchKind, refId: string): string {
    return `${tenantId}:${kind}:${refId}`;
  }

  /** Creates the index with its mapping on first use (a concurrent creator's "already exists" is fine). */
  private ensure(): Promise<void> {
    this.ready ??= (async () => {
      const exists = await this.client.indices.exists({ index: this.index });
      if (exists.body) return;
      await this.client.indices
        .create({
          index: this.index,
          body: {
            mappings: {
              properties: {
                tenantId: { type: 'keyword' },
                kind: { type: 'keyword' },
                refId: { type: 'keyword' },
                title: { type: 'text', fields: { keyword: { type: 'keyword' } } },
                body: { type: 'text' },
                sourceId: { type: 'keyword' },
                path: { type: 'keyword' },
                pathWords: { type: 'text' },
                updatedAt: { type: 'date' },
              },
            },
          },
        })
        .catch((err: { meta?: { body?: { error?: { type?: string } } } }) => {
          if (err.meta?.body?.error?.type !== 'resource_already_exists_exception') throw err;
        });
    })().catch((err) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  async upsert(docs: readonly SearchDocument[], options: { onlyNew?: boolean } = {}): Promise<void> {
    if (docs.length === 0) return;
    await this.ensure();
    const body: unknown[] = [];
    for (const d of docs) {
      // External versions by time: an older state is refused by OpenSearch itself (a version conflict, ignored).
      const _id = this.id(d.tenantId, d.kind, d.refId);
      // `create` refuses a document already there (a conflict, ignored below).
      body.push(
        options.onlyNew
          ? { create: { _index: this.index, _id } }
          : { index: { _index: this.index, _id, version: d.updatedAt.getTime(), version_type: 'external_gte' } },
      );
      const doc: Indexed = { ...d, pathWords: pathWords(d.path), updatedAt: d.updatedAt.toISOString() };
      body.push(doc);
    }
    const res = await this.client.bulk({ body: body as never, refresh: 'wait_for' });
    const failed = (res.body.items ?? [])
      .map((item) => Object.values(item)[0])
      .filter((r) => r?.error && r.status !== 409);
    if (failed.length) throw new Error(`OpenSearch refused ${failed.length} documents: ${JSON.stringify(failed[0])}`);
  }

  async remove(tenantId: string, kind: SearchKind, refId: string): Promise<void> {
    await this.ensure();
    await this.client
      .delete({ index: this.index, id: this.id(tenantId, kind, refId), refresh: 'wait_for' })
      .catch((err: { meta?: { statusCode?: number } }) => {
        if (err.meta?.statusCode !== 404) throw err;
      });
  }

  async search(r: SearchRequest): Promise<SearchHitRecord[]> {
    await this.ensure();
    const filter: Record<string, unknown>[] = [{ term: { tenantId: r.tenantId } }];
    if (r.kinds?.length) filter.push({ terms: { kind: [...r.kinds] } });
    const res = await this.client.search({
      index: this.index,
      body: {
        size: r.first,
        query: {
          bool: {
            filter,
            must: [
              {
                simple_query_string: {
                  query: toSimpleQueryString(r.text),
                  fields: ['title^3', 'body^2', 'pathWords'],
                  default_operator: 'and',
                },
              },
            ],
          },
        },
        sort: ['_score', { 'title.keyword': 'asc' }, { refId: 'asc' }],
        highlight: { pre_tags: ['«'], post_tags: ['»'], fields: { body: { number_of_fragments: 1 } } },
      } as never,
    });
    return res.body.hits.hits.map((h) => {
      const s = h._source as unknown as Indexed;
      const highlight = (h.highlight as Record<string, string[]> | undefined)?.body?.[0];
      return {
        kind: s.kind,
        refId: s.refId,
        title: s.title,
        sourceId: s.sourceId,
        path: s.path,
        score: Number(h._score ?? 0),
        snippet: highlight ?? null,
      };
    });
  }

  /** Drops the whole index (tests' own indexes). */
  async drop(): Promise<void> {
    await this.client.indices.delete({ index: this.index }).catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
