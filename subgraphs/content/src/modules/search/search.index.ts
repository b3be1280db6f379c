import { badInput } from '@phub/kit';

/**
 * Search across content: one interface, two implementations (Postgres full-text search, OpenSearch), one contract
 * suite (`search.contract.ts`) both must pass.
 *
 * The index lives in the content subgraph because content is where HQ's searchable text already arrives: AEM
 * content as HQ browses it and as AEM creatives are copied (readers of this subgraph), and campaigns through the
 * bus's `campaign.campaign.v1` events. It holds words and references only; the gateway resolves each hit's
 * `Campaign` / `Creative` from their owner, so nothing another subgraph owns is copied here beyond its name.
 */
export type SearchKind = 'CAMPAIGN' | 'CREATIVE' | 'AEM_CONTENT';
export const SEARCH_KINDS: readonly SearchKind[] = ['CAMPAIGN', 'CREATIVE', 'AEM_CONTENT'];

export interface SearchDocument {
  tenantId: string;
  kind: SearchKind;
  /** The entity's id (campaign, creative); for AEM content `<sourceId>:<path>`. */
  refId: string;
  title: string;
  /** Further words: a fragment's fields, a campaign's status… */
  body: string;
  sourceId: string | null;
  /** An AEM path (its segments are searchable words). */
  path: string | null;
  /** When the indexed state was true: an older write never replaces a newer one. */
  updatedAt: Date;
}

export interface SearchRequest {
  tenantId: string;
  /** Web-search syntax: words (all must match), "a phrase", -excluded; case-insensitive, whole words. */
  text: string;
  kinds?: readonly SearchKind[] | null;
  first: number;
}

export interface SearchHitRecord {
  kind: SearchKind;
  refId: string;
  title: string;
  sourceId: string | null;
  path: string | null;
  score: number;
  /** Where the words matched in the body, when they did. */
  snippet: string | null;
}

export interface SearchIndex {
  readonly name: string;
  /** Adds or replaces; with `onlyNew`, leaves documents already there as they are (adds the others). */
  upsert(docs: readonly SearchDocument[], options?: { onlyNew?: boolean }): Promise<void>;
  remove(tenantId: string, kind: SearchKind, refId: string): Promise<void>;
  /** Best first; ties by title. */
  search(request: SearchRequest): Promise<SearchHitRecord[]>;
  close(): Promise<void>;
}

export const MAX_SEARCH_TEXT = 200;
export const MAX_SEARCH_RESULTS = 100;

/** The text and page size a person may ask for; anything else is BAD_USER_INPUT with the field named. */
export function checkSearchRequest(text: string, first: number): { text: string; first: number } {
  const t = text.trim();
  if (!t) throw badInput('Search text is empty', { field: 'query' });
  if (t.length > MAX_SEARCH_TEXT)
    throw badInput(`Search text is over ${MAX_SEARCH_TEXT} characters`, { field: 'query' });
  if (!Number.isInteger(first) || first < 1 || first > MAX_SEARCH_RESULTS) {
    throw badInput(`first must be between 1 and ${MAX_SEARCH_RESULTS}`, { field: 'first' });
  }
  return { text: t, first };
}

/** Words of an AEM path: `/content/dam/phub/spring-sale.jpg` → `content dam phub spring sale jpg`. */
export const pathWords = (path: string | null): string => (path ?? '').replace(/[/_.:-]+/g, ' ').trim();
