import type { CampaignEventV1, CreativeEventV1 } from '@phub/contracts';
import type { Logger } from '@phub/kit';
import type { ContentScope } from '../../scope.js';
import {
  checkSearchRequest,
  type SearchDocument,
  type SearchIndex,
  type SearchKind as IndexKind,
} from './search.index.js';
import { SearchKind, type SearchHit } from './search.types.js';

/** A field's words, whatever shape AEM gave it (string, number, rich text `{ plaintext | value }`). */
function words(v: unknown): string {
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const k of ['plaintext', 'value', 'markdown']) if (typeof o[k] === 'string') return o[k];
  }
  return '';
}

/** A fragment's title (its headline, else its title field) and the words of its other fields. */
function fragmentWords(fields: Record<string, unknown>): { heading: string; body: string } {
  const key = fields.headline !== undefined ? 'headline' : 'title';
  const body = Object.entries(fields)
    .filter(([k]) => k !== key)
    .map(([, v]) => words(v))
    .filter(Boolean)
    .join(' ');
  return { heading: words(fields[key]), body };
}

export interface IndexedNode {
  path: string;
  name: string;
  title: string | null;
  kind: string;
  mimeType: string | null;
}
export interface IndexedFragment {
  path: string;
  title: string | null;
  fields: Record<string, unknown>;
  modified: string | null;
}

/**
 * Search for HQ, and what feeds it: campaigns (bus events), AEM creatives (their copies) and AEM content (what HQ
 * browsed). Feeding never fails the read that fed it: a search index down is logged, the browse still answers.
 */
export class SearchService {
  constructor(
    private readonly index: SearchIndex,
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {}

  get implementation(): string {
    return this.index.name;
  }

  async search(
    scope: ContentScope,
    text: string,
    kinds: readonly SearchKind[] | null | undefined,
    first: number,
  ): Promise<SearchHit[]> {
    scope.assertCanSearch();
    const r = checkSearchRequest(text, first);
    const hits = await this.index.search({
      tenantId: scope.tenantId,
      text: r.text,
      kinds: kinds as readonly IndexKind[] | null | undefined,
      first: r.first,
    });
    return hits.map((h) => ({
      kind: h.kind as SearchKind,
      id: h.refId,
      title: h.title,
      snippet: h.snippet,
      score: h.score,
      aemSourceId: h.sourceId,
      aemPath: h.path,
      campaign: h.kind === SearchKind.CAMPAIGN ? { id: h.refId } : null,
      creative: h.kind === SearchKind.CREATIVE ? { id: h.refId } : null,
    }));
  }

  /** A campaign's life cycle: its name is searchable until it is archived. */
  async campaignChanged(event: CampaignEventV1): Promise<void> {
    const c = event.campaign;
    if (c.status === 'ARCHIVED') return this.index.remove(c.tenantId, 'CAMPAIGN', c.id);
    await this.index.upsert([
      {
        tenantId: c.tenantId,
        kind: 'CAMPAIGN',
        refId: c.id,
        title: c.name,
        body: c.status,
        sourceId: null,
        path: null,
        updatedAt: new Date(c.updatedAt),
      },
    ]);
  }

  /**
   * A creative of the library (uploaded, or drawn by the platform): by its name, kind and tags until archived. An
   * AEM creative's words are this subgraph's own (creative() below); campaign's event only takes it out when archived.
   */
  async creativeChanged(event: CreativeEventV1): Promise<void> {
    const c = event.creative;
    if (c.archived) return this.index.remove(c.tenantId, 'CREATIVE', c.id);
    if (c.kind === 'AEM') return;
    await this.index.upsert([
      {
        tenantId: c.tenantId,
        kind: 'CREATIVE',
        refId: c.id,
        title: c.name,
        body: [c.kind.toLowerCase(), ...c.tags].join(' '),
        sourceId: null,
        path: null,
        updatedAt: new Date(c.updatedAt),
      },
    ]);
  }

  /** An AEM creative: by its path at once, then by its content's words once copied. */
  creative(
    tenantId: string,
    creativeId: string,
    sourceId: string,
    path: string,
    content?: { title: string | null; fields?: Record<string, unknown>; mimeType?: string },
  ): Promise<void> {
    const fragment = fragmentWords(content?.fields ?? {});
    const body = [fragment.body, content?.mimeType ?? ''].join(' ').trim();
    const title = fragment.heading || content?.title || path.split('/').pop() || path;
    return this.feed([
      { tenantId, kind: 'CREATIVE', refId: creativeId, title, body, sourceId, path, updatedAt: new Date(this.now()) },
    ]);
  }

  /**
   * One level of AEM's tree as HQ saw it. A listing knows less than a fragment's own read (a fragment is an asset
   * in the tree too), so it only adds what the index does not have yet.
   */
  nodes(tenantId: string, sourceId: string, nodes: readonly IndexedNode[]): Promise<void> {
    return this.feed(
      nodes.map((n) => ({
        tenantId,
        kind: 'AEM_CONTENT',
        refId: `${sourceId}:${n.path}`,
        title: n.title || n.name,
        body: n.mimeType ?? '',
        sourceId,
        path: n.path,
        updatedAt: new Date(this.now()),
      })),
      { onlyNew: true },
    );
  }

  /** Content fragments as HQ listed them: title and every text field. */
  fragments(tenantId: string, sourceId: string, items: readonly IndexedFragment[]): Promise<void> {
    return this.feed(
      items.map((f) => {
        const { heading, body } = fragmentWords(f.fields);
        return {
          tenantId,
          kind: 'AEM_CONTENT',
          refId: `${sourceId}:${f.path}`,
          title: heading || f.title || f.path.split('/').pop() || f.path,
          body,
          sourceId,
          path: f.path,
          updatedAt: new Date(this.now()),
        };
      }),
    );
  }

  /** Lets the index go (an OpenSearch client's sockets); Postgres's belongs to the subgraph. */
  close(): Promise<void> {
    return this.index.close();
  }

  private async feed(docs: SearchDocument[], options: { onlyNew?: boolean } = {}): Promise<void> {
    if (docs.length === 0) return;
    try {
      await this.index.upsert(docs, options);
    } catch (err) {
      this.logger.warn({ err, index: this.index.name, documents: docs.length }, 'search index not updated');
    }
  }
}
