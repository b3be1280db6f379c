import { systemClock, type Clock, Egress, EgressRefusedError } from '@phub/kit';
import { AemError, AemErrorCode, errorForStatus } from './aem.errors.js';
import { CircuitBreaker, CircuitState, type CircuitOptions } from './circuit-breaker.js';

/** Where reads go and how they authenticate: one AEM source. */
export interface AemTarget {
  id: string;
  /** Origin (and optional context path) of the AEM author or publish service, without a trailing slash. */
  baseUrl: string;
  /** The Authorization header value (Basic … or Bearer …), or undefined for anonymous reads (a publish service). */
  authorization(): Promise<string | undefined>;
  /** Called after a 401 with a token that came from an exchange: the next authorization() must exchange again. */
  invalidate?(): void;
}

export interface AemClientOptions extends CircuitOptions {
  timeoutMs: number;
  retries: number;
  retryBaseMs: number;
  maxJsonBytes: number;
  /** Largest binary (a rendition) read; bigger ones fail as MALFORMED_RESPONSE. */
  maxBinaryBytes?: number;
}

/** What one read ended as, for the source's health (and metrics): success, or a failure with its code. */
export type AemOutcome =
  { ok: true; api: string; circuit: CircuitState } | { ok: false; api: string; error: AemError; circuit: CircuitState };

export interface AemRequest {
  /** Which documented API (metrics label and health): sling, model, assets, fragments, graphql, rendition. */
  api: string;
  /** A path and query on the source, e.g. `/content/site.1.json` or `/adobe/contentFragments?cursor=…`. */
  path: string;
  etag?: string;
  accept?: string;
  /** Statuses returned rather than thrown (Sling's 300; 304 is always returned when `etag` was sent). */
  accepted?: number[];
  binary?: boolean;
}

export interface AemResponse {
  status: number;
  body: Buffer;
  etag: string | null;
  lastModified: string | null;
  contentType: string | null;
}

const sleeper = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * The one HTTP client the content subgraph reads AEM with. Every request leaves through the kit's egress (so
 * `HTTPS_PROXY`/`NO_PROXY`/`EGRESS_PROXY_REQUIRED` apply), has a whole-request time limit, is retried with
 * exponential backoff and jitter when the failure is transient (network, timeout, 5xx, 429), and passes a circuit
 * breaker per source; each read's outcome goes to `onOutcome` (the source's health).
 */
export class AemClient {
  private readonly breakers = new Map<string, CircuitBreaker>();

  constructor(
    private readonly options: AemClientOptions,
    private readonly egress: Egress,
    private readonly onOutcome: (sourceId: string, outcome: AemOutcome) => void | Promise<void> = () => undefined,
    private readonly clock: Clock = systemClock,
    private readonly sleep: (ms: number) => Promise<void> = sleeper,
  ) {}

  breaker(sourceId: string): CircuitBreaker {
    let b = this.breakers.get(sourceId);
    if (!b) this.breakers.set(sourceId, (b = new CircuitBreaker(this.options, this.clock)));
    return b;
  }

  /** Forget a source's breaker (its settings changed: new URL or credentials deserve a fresh start). */
  reset(sourceId: string): void {
    this.breakers.delete(sourceId);
  }

  get(target: AemTarget, request: AemRequest): Promise<AemResponse> {
    return this.run(target, request, (res) => res);
  }

  /**
   * GET and parse JSON; a body that is not JSON (or too large) is MALFORMED_RESPONSE. `check` may refuse what was
   * parsed (an AemError); either way the read counts as failed, for the breaker and the source's health.
   */
  getJson<T = unknown>(
    target: AemTarget,
    request: AemRequest,
    check?: (status: number, json: T | null) => void,
  ): Promise<{ status: number; json: T | null; etag: string | null; lastModified: string | null }> {
    return this.run(target, request, (res) => {
      let json: T | null = null;
      if (res.status !== 304) {
        try {
          json = JSON.parse(res.body.toString('utf8')) as T;
        } catch {
          throw new AemError(
            AemErrorCode.MALFORMED_RESPONSE,
            `AEM answered ${request.path} with a body that is not JSON (${res.contentType ?? 'no content type'})`,
            res.status,
          );
        }
      }
      check?.(res.status, json);
      return { status: res.status, json, etag: res.etag, lastModified: res.lastModified };
    });
  }

  private async run<T>(target: AemTarget, request: AemRequest, finish: (res: AemResponse) => T): Promise<T> {
    const breaker = this.breaker(target.id);
    if (!breaker.tryAcquire()) {
      const retryAt = breaker.retryAt ? new Date(breaker.retryAt).toISOString() : 'later';
      const error = new AemError(
        AemErrorCode.CIRCUIT_OPEN,
        `AEM source ${target.id} failed repeatedly; reads resume at ${retryAt}`,
      );
      await this.report(target.id, { ok: false, api: request.api, error, circuit: breaker.state });
      throw error;
    }
    try {
      const result = finish(await this.withRetries(target, request));
      breaker.succeeded();
      await this.report(target.id, { ok: true, api: request.api, circuit: breaker.state });
      return result;
    } catch (err) {
      const error = asAemError(err);
      if (error.countsForCircuit) breaker.failed();
      else breaker.released();
      await this.report(target.id, { ok: false, api: request.api, error, circuit: breaker.state });
      throw error;
    }
  }

  private async report(sourceId: string, outcome: AemOutcome): Promise<void> {
    try {
      await this.onOutcome(sourceId, outcome);
    } catch {
      // Health is best effort: a read that worked must not fail because its bookkeeping did.
    }
  }

  private async withRetries(target: AemTarget, request: AemRequest): Promise<AemResponse> {
    let refreshedAuth = false;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once(target, request);
      } catch (err) {
        const error = asAemError(err);
        // An exchanged token may have expired early (revoked, clock skew): exchange once more, then give up.
        if (error.reason === AemErrorCode.UNAUTHORIZED && target.invalidate && !refreshedAuth) {
          refreshedAuth = true;
          target.invalidate();
          continue;
        }
        if (!error.transient || attempt >= this.options.retries) throw error;
        const backoff = this.options.retryBaseMs * 2 ** attempt;
        await this.sleep(backoff / 2 + Math.random() * (backoff / 2));
      }
    }
  }

  private async once(target: AemTarget, request: AemRequest): Promise<AemResponse> {
    const url = `${target.baseUrl}${request.path}`;
    const headers: Record<string, string> = { accept: request.accept ?? 'application/json' };
    const authorization = await target.authorization();
    if (authorization) headers.authorization = authorization;
    if (request.etag) headers['if-none-match'] = request.etag;
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    try {
      const res = await this.egress.fetch(url, { headers, redirect: 'manual', signal: timeout });
      const accepted =
        res.status === 200 || (res.status === 304 && !!request.etag) || !!request.accepted?.includes(res.status);
      if (!accepted) {
        await res.body?.cancel();
        throw errorForStatus(res.status, `${request.api} ${request.path}`);
      }
      const limit = request.binary ? (this.options.maxBinaryBytes ?? 100 * 1024 * 1024) : this.options.maxJsonBytes;
      const body = await readLimited(res.body, limit, request.path);
      return {
        status: res.status,
        body,
        etag: res.headers.get('etag'),
        lastModified: res.headers.get('last-modified'),
        contentType: res.headers.get('content-type'),
      };
    } catch (err) {
      if (err instanceof AemError) throw err;
      if (err instanceof EgressRefusedError) throw new AemError(AemErrorCode.EGRESS_REFUSED, err.message);
      if (timeout.aborted) {
        throw new AemError(
          AemErrorCode.TIMEOUT,
          `AEM did not answer ${request.path} within ${this.options.timeoutMs} ms`,
        );
      }
      // undici hides the useful part (ECONNREFUSED, ENOTFOUND…) in `cause`.
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const detail = cause ? `${cause.code ?? ''} ${cause.message ?? ''}`.trim() : String(err);
      throw new AemError(AemErrorCode.UNREACHABLE, `AEM at ${new URL(url).host} is unreachable: ${detail}`);
    }
  }
}

async function readLimited(body: ReadableStream<Uint8Array> | null, limit: number, path: string): Promise<Buffer> {
  if (!body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit) {
      throw new AemError(AemErrorCode.MALFORMED_RESPONSE, `AEM's answer to ${path} is larger than ${limit} bytes`);
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

function asAemError(err: unknown): AemError {
  if (err instanceof AemError) return err;
  return new AemError(AemErrorCode.UNREACHABLE, err instanceof Error ? err.message : String(err));
}
