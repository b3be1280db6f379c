import { createHash } from 'node:crypto';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import type { Request, Response } from 'express';
import { Kind, OperationTypeNode, parse } from 'graphql';
import { LRUCache } from 'lru-cache';

/** An answer complete enough to send again: status, headers and the whole body. */
interface SharedAnswer {
  status: number;
  headers: [string, string][];
  /** The body's bytes and ETag, made once for every request that shares them (express would per response). */
  bytes: Buffer;
  etag?: string;
}

/**
 * What the request's answer depends on besides its document, operation and variables: the caller (its token, and
 * the address subgraphs rate-limit by) and how it asked (the response's media type, Apollo's CSRF check). Two
 * requests share an answer only when all of these are equal, so no answer ever crosses between viewers.
 */
const KEY_HEADERS = ['authorization', 'accept', 'content-type', 'apollo-require-preflight', 'x-apollo-operation-name'];

/**
 * Inbound in-flight deduplication: identical queries that arrive while the first is still running wait for its
 * answer instead of running again (the plan, the subgraph fetches, the shaping of the result). Only queries — never
 * mutations or subscriptions — sent by POST with their text, and only while in flight: nothing is cached after
 * the answer is sent. Incremental delivery (`@defer`, multipart) is not shared.
 */
export class InflightQueries {
  private readonly inflight = new Map<string, Promise<SharedAnswer>>();
  /** Operation types per document text, so a repeated document is not parsed again to learn whether it is a query. */
  private readonly kinds = new LRUCache<string, Map<string, OperationTypeNode> | false>({ max: 1000 });

  constructor(private readonly onShared: () => void = () => undefined) {}

  /** The request's key, or null when it must run on its own. */
  keyOf(req: Request): string | null {
    if (req.method !== 'POST') return null;
    if (/multipart\/mixed/i.test(req.header('accept') ?? '')) return null;
    const body = req.body as { query?: unknown; operationName?: unknown; variables?: unknown; extensions?: unknown };
    if (typeof body?.query !== 'string') return null;
    const operationName = typeof body.operationName === 'string' ? body.operationName : '';
    if (this.operationType(body.query, operationName) !== OperationTypeNode.QUERY) return null;
    const hash = createHash('sha256');
    hash.update(req.ip ?? '');
    for (const name of KEY_HEADERS) hash.update(`\0${req.header(name) ?? ''}`);
    hash.update(`\0${operationName}\0${body.query}\0`);
    hash.update(JSON.stringify(body.variables ?? null));
    hash.update(JSON.stringify(body.extensions ?? null));
    return hash.digest('base64');
  }

  /** Runs the request, or waits for the identical one in flight; then answers it. */
  async serve<C extends BaseContext>(
    key: string,
    req: Request,
    res: Response,
    server: ApolloServer<C>,
    context: (args: { req: Request; res: Response }) => Promise<C>,
  ): Promise<void> {
    let answer = this.inflight.get(key);
    if (answer) this.onShared();
    else {
      answer = execute(req, res, server, context).finally(() => this.inflight.delete(key));
      this.inflight.set(key, answer);
    }
    const { status, headers, bytes, etag } = await answer;
    for (const [name, value] of headers) res.setHeader(name, value);
    if (etag) res.setHeader('etag', etag);
    res.status(status).send(bytes);
  }

  private operationType(query: string, operationName: string): OperationTypeNode | undefined {
    let kinds = this.kinds.get(query);
    if (kinds === undefined) {
      try {
        kinds = new Map();
        for (const def of parse(query, { noLocation: true }).definitions) {
          if (def.kind === Kind.OPERATION_DEFINITION) kinds.set(def.name?.value ?? '', def.operation);
        }
      } catch {
        kinds = false; // Apollo answers the syntax error, on its own
      }
      this.kinds.set(query, kinds);
    }
    if (!kinds) return undefined;
    // Without a name, only a document with one operation names it (else Apollo refuses the request).
    if (!operationName) return kinds.size === 1 ? [...kinds.values()][0] : undefined;
    return kinds.get(operationName);
  }
}

async function execute<C extends BaseContext>(
  req: Request,
  res: Response,
  server: ApolloServer<C>,
  context: (args: { req: Request; res: Response }) => Promise<C>,
): Promise<SharedAnswer> {
  // As @as-integrations/express5 builds it, so the first request runs exactly as it would without sharing.
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const response = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: 'POST', headers, search: new URL(req.url, 'http://x').search, body: req.body },
    context: () => context({ req, res }),
  });
  let body: string;
  if (response.body.kind === 'complete') body = response.body.string;
  else {
    // Not asked for (multipart is excluded above), but never lose an answer: gather it.
    body = '';
    for await (const chunk of response.body.asyncIterator) body += chunk;
  }
  const bytes = Buffer.from(body);
  // As express's send would make it (the app's "etag fn"), once.
  const etagOf = req.app.get('etag fn') as ((body: Buffer) => string | undefined) | undefined;
  return { status: response.status ?? 200, headers: [...response.headers], bytes, etag: etagOf?.(bytes) };
}
