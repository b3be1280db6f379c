import { GATEWAY_SECRET_HEADER } from '@phub/kit/edge';
import { GraphQLError } from 'graphql';
import { createHash } from 'node:crypto';
import { fetch, type Agent } from 'undici';

/** Codes of refused partner documents; clients may rely on them. */
export const TrustedDocumentCode = {
  /** A `documentId` (or persisted query hash) that is not registered for this client. */
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  /** Document text that is not registered for this client, where only registered documents run. */
  OPERATION_NOT_ALLOWED: 'OPERATION_NOT_ALLOWED',
} as const;

export type TrustedDocumentsMode = 'registered' | 'any';

/** What a partner sent: a document id, its text, or both (the text must then hash to the id). */
export interface PartnerRequest {
  query?: unknown;
  documentId?: unknown;
  extensions?: { persistedQuery?: { sha256Hash?: unknown } } | null;
}

export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

interface Options {
  /** The auth subgraph's base URL, where registered documents live. */
  authBase: () => string | undefined;
  agent: Agent;
  timeoutMs: number;
  secret?: string;
  mode: TrustedDocumentsMode;
  now?: () => number;
}

const MAX_CACHED = 10_000;
// A miss is remembered briefly: a client hammering an unknown id does not hammer auth, and a document
// registered a moment ago is found within seconds.
const MISS_TTL_MS = 5_000;

/**
 * Trusted documents for partner tokens: a registered document runs by its id (`documentId`, GraphQL over
 * HTTP's trusted documents, or Apollo's `extensions.persistedQuery.sha256Hash`); in `registered` mode
 * document text runs only if it is registered for the client too. Registered texts are immutable (the id
 * is their hash), so hits are cached for good; first-party apps never come here and keep APQ.
 */
export class TrustedDocuments {
  private readonly hits = new Map<string, string>();
  private readonly misses = new Map<string, number>();

  constructor(private readonly options: Options) {}

  get mode(): TrustedDocumentsMode {
    return this.options.mode;
  }

  /** The document text to run for this partner request, or the error that refuses it. */
  async resolve(clientId: string, request: PartnerRequest): Promise<{ query: string } | { error: GraphQLError }> {
    const rawId = request.documentId ?? request.extensions?.persistedQuery?.sha256Hash;
    const text = typeof request.query === 'string' && request.query.trim() ? request.query : undefined;
    if (typeof rawId === 'string') {
      const id = rawId.replace(/^sha256:/, '').toLowerCase();
      if (text !== undefined && sha256Hex(text) !== id) {
        return { error: refusal('BAD_REQUEST', 'The document text does not match its id (SHA-256)', 400) };
      }
      const registered = await this.lookup(clientId, id);
      if (registered === null) {
        return {
          error: refusal(
            TrustedDocumentCode.PERSISTED_QUERY_NOT_FOUND,
            `Document ${id} is not registered for this client (registerTrustedDocuments)`,
            404,
          ),
        };
      }
      return { query: registered };
    }
    if (text === undefined) return { error: refusal('BAD_REQUEST', 'Send a documentId or a query', 400) };
    if (this.options.mode === 'any') return { query: text };
    if ((await this.lookup(clientId, sha256Hex(text))) === null) {
      return {
        error: refusal(
          TrustedDocumentCode.OPERATION_NOT_ALLOWED,
          'Only operations registered for this client run here (trusted documents): register it with registerTrustedDocuments',
          403,
        ),
      };
    }
    return { query: text };
  }

  private async lookup(clientId: string, id: string): Promise<string | null> {
    if (!/^[0-9a-f]{64}$/.test(id)) return null;
    const key = `${clientId}/${id}`;
    const hit = this.hits.get(key);
    if (hit !== undefined) return hit;
    const now = this.options.now?.() ?? Date.now();
    if ((this.misses.get(key) ?? 0) > now) return null;
    const base = this.options.authBase();
    if (!base) return null;
    const res = await fetch(`${base}/internal/trusted-documents/${encodeURIComponent(clientId)}/${id}`, {
      headers: this.options.secret ? { [GATEWAY_SECRET_HEADER]: this.options.secret } : {},
      dispatcher: this.options.agent,
      signal: AbortSignal.timeout(this.options.timeoutMs),
    });
    if (res.status === 404) {
      await res.arrayBuffer();
      if (this.misses.size >= MAX_CACHED) this.misses.clear();
      this.misses.set(key, now + MISS_TTL_MS);
      return null;
    }
    if (!res.ok) throw new Error(`auth answered ${res.status} for a trusted document`);
    const { body } = (await res.json()) as { body: string };
    if (this.hits.size >= MAX_CACHED) this.hits.delete(this.hits.keys().next().value!);
    this.hits.set(key, body);
    return body;
  }
}

function refusal(code: string, message: string, status: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status } } });
}
