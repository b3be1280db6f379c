import { createHash } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ErrorCode, GATEWAY_SECRET_HEADER, type Logger } from '@phub/kit/edge';
import { GraphQLError } from 'graphql';
import { Agent, fetch, request, type Dispatcher } from 'undici';
import { GatewayErrorCode, subgraphError } from './errors.js';
import type { FetchOutcome, GatewayMetrics } from './metrics.js';

type Fetcher = RemoteGraphQLDataSource['fetcher'];
type ProcessResult = ReturnType<RemoteGraphQLDataSource['process']>;

/** What the gateway passes from the client's request to every subgraph fetch. */
export interface SubgraphContext {
  requestId: string;
  authorization?: string;
  /** The client address as this gateway worked it out (never the client's own header), as `X-Forwarded-For`. */
  forwardedFor?: string;
  /** The API client id of a partner token (rate limits and the public contract apply); unset for everyone else. */
  partnerClientId?: string;
}

/** One pool of keep-alive connections shared by every subgraph, so fetches skip the TCP handshake. */
export function createSubgraphAgent(): Agent {
  // Below the subgraphs' 65 s server keep-alive, so we never reuse a socket the server is closing.
  return new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000, connections: 128 });
}

/**
 * A fetcher on undici's `request` (not its WHATWG `fetch`, whose streams cost more CPU than the rest of a fetch here),
 * answering what RemoteGraphQLDataSource reads of a fetch Response. It gives up after `timeoutMs`, including reading
 * the body, and fails as fetch would: a timeout as `TimeoutError`, no connection as a `TypeError` with the cause.
 */
export function createSubgraphFetcher(agent: Agent, timeoutMs: number): Fetcher {
  return async (url, init) => {
    const signal = AbortSignal.timeout(timeoutMs);
    const failed = (err: unknown): never => {
      if (signal.aborted) throw signal.reason;
      throw new TypeError('fetch failed', { cause: err });
    };
    const answer = await request(url, {
      method: (init?.method ?? 'GET') as Dispatcher.HttpMethod,
      // RemoteGraphQLDataSource, the only caller, passes a plain object (Object.fromEntries of its Headers).
      headers: init?.headers as Record<string, string> | undefined,
      body: init?.body as string | undefined,
      dispatcher: agent,
      signal,
    }).catch(failed);
    return new SubgraphResponse(url, answer, failed) as unknown as Awaited<ReturnType<Fetcher>>;
  };
}

/** The part of a fetch Response that RemoteGraphQLDataSource and the gateway read. */
class SubgraphResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null; has(name: string): boolean };

  constructor(
    readonly url: string,
    private readonly answer: Dispatcher.ResponseData,
    private readonly failed: (err: unknown) => never,
  ) {
    this.status = answer.statusCode;
    const raw = answer.headers;
    const get = (name: string) => {
      const value = raw[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    };
    this.headers = { get, has: (name) => get(name) !== null };
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  get statusText(): string {
    return STATUS_CODES[this.status] ?? '';
  }

  /** A body that is not JSON fails as a SyntaxError, as fetch's does (a bad answer, not an unreachable subgraph). */
  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }

  text(): Promise<string> {
    return this.answer.body.text().catch(this.failed);
  }
}

interface DataSourceOptions {
  name: string;
  url: string;
  fetcher: Fetcher;
  metrics: GatewayMetrics;
  logger: Logger;
  /** Proves to the subgraph that the request comes from its gateway. */
  secret?: string;
  /** Share identical query fetches in flight (DEDUPLICATE_INFLIGHT_QUERIES). */
  shareFetches?: boolean;
}

type Answer = Awaited<ProcessResult>;

/**
 * Forwards identity headers, records per-subgraph latency and outcome, and turns transport
 * failures into errors with stable codes; the gateway then returns the other subgraphs' data.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<SubgraphContext> {
  private readonly subgraph: string;
  private readonly metrics: GatewayMetrics;
  private readonly logger: Logger;
  private readonly secret?: string;
  private readonly shareFetches: boolean;
  /** Query fetches in flight by what they send (document, variables, identity headers). */
  private readonly inflight = new Map<string, Promise<Answer>>();

  constructor(options: DataSourceOptions) {
    super({ url: options.url, fetcher: options.fetcher });
    this.subgraph = options.name;
    this.metrics = options.metrics;
    this.logger = options.logger;
    this.secret = options.secret;
    this.shareFetches = options.shareFetches ?? false;
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<SubgraphContext>): void {
    const headers = request.http?.headers;
    // Health checks and schema loads carry no client context.
    const { authorization, requestId, forwardedFor } = context as Partial<SubgraphContext>;
    if (this.secret) headers?.set(GATEWAY_SECRET_HEADER, this.secret);
    if (authorization) headers?.set('authorization', authorization);
    if (requestId) headers?.set('x-request-id', requestId);
    // Subgraphs rate-limit per client address (e.g. logins), so they must see the client's, not ours;
    // one address, set (not appended): a client's own X-Forwarded-For never travels on.
    if (forwardedFor) headers?.set('x-forwarded-for', forwardedFor);
    else headers?.delete('x-forwarded-for');
  }

  /**
   * Upstream deduplication: a query fetch identical to one in flight — the same document and variables, sent with
   * the same token and client address, so the subgraph could not tell them apart — waits for that one's answer.
   * Each caller gets its own copy: the executor merges into what it receives.
   */
  override async process(options: GraphQLDataSourceProcessOptions<SubgraphContext>): ProcessResult {
    const key = this.shareFetches ? fetchKey(options) : null;
    if (!key) return this.fetchOnce(options);
    let answer = this.inflight.get(key);
    if (answer) this.metrics.sharedSubgraphFetches.inc({ subgraph: this.subgraph });
    else {
      answer = this.fetchOnce(options).finally(() => this.inflight.delete(key));
      this.inflight.set(key, answer);
    }
    try {
      const { http, ...body } = await answer;
      return { ...structuredClone(body), ...(http ? { http } : {}) };
    } catch (err) {
      if (!(err instanceof GraphQLError)) throw err;
      throw new GraphQLError(err.message, { extensions: structuredClone(err.extensions) });
    }
  }

  private async fetchOnce(options: GraphQLDataSourceProcessOptions<SubgraphContext>): ProcessResult {
    const started = process.hrtime.bigint();
    let outcome: FetchOutcome = 'success';
    try {
      const response = await super.process(options);
      if (response.errors?.length) outcome = 'graphql_error';
      return response;
    } catch (err) {
      const failure = classify(err, this.subgraph);
      outcome = failure.outcome;
      const { requestId } = options.context as Partial<SubgraphContext>;
      this.logger.warn({ subgraph: this.subgraph, outcome, requestId, err: reason(err) }, 'subgraph fetch failed');
      throw failure.error;
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.metrics.subgraphFetch.observe({ subgraph: this.subgraph, outcome }, seconds);
    }
  }
}

/** The key of a fetch that may be shared, or null: only fetches of incoming query operations. */
function fetchKey(options: GraphQLDataSourceProcessOptions<SubgraphContext>): string | null {
  // Health checks and schema loads have no incoming request (the enum naming the kinds is not exported).
  if (!('incomingRequestContext' in options)) return null;
  if (options.incomingRequestContext.operation?.operation !== 'query') return null;
  const { query, variables } = options.request;
  if (!query) return null;
  const { authorization, forwardedFor, partnerClientId } = options.context as Partial<SubgraphContext>;
  return createHash('sha256')
    .update(`${authorization ?? ''}\0${forwardedFor ?? ''}\0${partnerClientId ?? ''}\0${query}\0`)
    .update(JSON.stringify(variables ?? null))
    .digest('base64');
}

/** Maps a failed fetch to a bounded outcome label and a client-facing error with a stable code. */
function classify(err: unknown, name: string): { outcome: FetchOutcome; error: GraphQLError } {
  const fail = (outcome: FetchOutcome, code: GatewayErrorCode | ErrorCode, message: string) => ({
    outcome,
    error: subgraphError(code, name, message),
  });
  if ((err as Error | undefined)?.name === 'TimeoutError') {
    return fail('timeout', GatewayErrorCode.SUBGRAPH_TIMEOUT, `Subgraph "${name}" did not answer in time`);
  }
  const status = responseStatus(err);
  if (status === 401) return fail('http_error', ErrorCode.UNAUTHENTICATED, `Subgraph "${name}" refused the request`);
  if (status === 403) return fail('http_error', ErrorCode.FORBIDDEN, `Subgraph "${name}" refused the request`);
  // Refused, reset, DNS failure (undici's TypeError), or a proxy in between saying 502-504.
  if (err instanceof TypeError || (status !== undefined && [502, 503, 504].includes(status))) {
    return fail('unavailable', GatewayErrorCode.SUBGRAPH_UNAVAILABLE, `Subgraph "${name}" is unavailable`);
  }
  // Any other status, a body that is not JSON, JSON that is not a GraphQL response.
  const what = status === undefined ? 'something that is not a GraphQL response' : `HTTP ${status}`;
  return fail('http_error', GatewayErrorCode.SUBGRAPH_BAD_RESPONSE, `Subgraph "${name}" answered with ${what}`);
}

/** The HTTP status RemoteGraphQLDataSource put on its error, if the subgraph answered at all. */
function responseStatus(error: unknown): number | undefined {
  // Duck-typed: the error comes from @apollo/gateway's copy of graphql, which need not be ours.
  const response = (error as { extensions?: { response?: { status?: unknown } } }).extensions?.response;
  return typeof response?.status === 'number' ? response.status : undefined;
}

/** For logs: undici hides the useful part (ECONNREFUSED, …) in `cause`. */
function reason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause as { code?: string; message?: string } | undefined;
  return cause ? `${err.message} (${cause.code ?? cause.message})` : err.message;
}

export interface SubgraphProbe {
  name: string;
  reachable: boolean;
  ms: number;
  error?: string;
}

/** A `{ __typename }` round trip: tells whether the subgraph answers GraphQL right now. */
export async function probeSubgraph(
  name: string,
  url: string,
  agent: Agent,
  timeoutMs: number,
  secret?: string,
): Promise<SubgraphProbe> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(secret ? { [GATEWAY_SECRET_HEADER]: secret } : {}) },
      body: JSON.stringify({ query: '{ __typename }' }),
      dispatcher: agent,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer();
    return res.ok
      ? { name, reachable: true, ms: ms() }
      : { name, reachable: false, ms: ms(), error: `HTTP ${res.status}` };
  } catch (err) {
    return { name, reachable: false, ms: ms(), error: reason(err) };
  }
}
