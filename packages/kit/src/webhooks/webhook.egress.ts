import { Agent, type Dispatcher, ProxyAgent, fetch } from 'undici';
import { egress, type Egress } from '../egress/egress.js';
import { safeLookup, type UrlPolicy } from './webhook.url.js';

export interface EgressSettings extends UrlPolicy {
  /** How long an endpoint has to answer, body included (ms). */
  timeoutMs: number;
}

/**
 * The one HTTP client webhooks leave the platform through (undici). Direct, a socket connects only to the
 * address its lookup checked (no DNS rebinding into the cluster); through `HTTPS_PROXY` the proxy resolves
 * names and keeps to its allow-list and off link-local addresses. Redirects are not followed, every request
 * is bounded by `timeoutMs`, and the answer's body is dropped.
 */
export class WebhookEgress {
  private readonly direct: Dispatcher;
  private readonly proxies = new Map<string, ProxyAgent>();

  /** `route`: the kit's egress rules (HTTPS_PROXY, NO_PROXY, EGRESS_PROXY_REQUIRED) decide proxy or direct. */
  constructor(
    private readonly settings: EgressSettings,
    private readonly route: Egress = egress(),
  ) {
    this.direct = new Agent({
      ...this.timeouts(),
      connect: { lookup: safeLookup(settings), timeout: settings.timeoutMs },
    });
  }

  /** POSTs `body`; resolves with the answer's status code, rejects when no answer came. */
  async post(url: URL, body: string, headers: Record<string, string>, signal?: AbortSignal): Promise<number> {
    const timeout = AbortSignal.timeout(this.settings.timeoutMs);
    try {
      const res = await fetch(url, {
        method: 'POST',
        body,
        headers,
        redirect: 'manual',
        dispatcher: this.dispatcherFor(url),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      await res.body?.cancel();
      return res.status;
    } catch (err) {
      if (timeout.aborted) throw new Error(`no answer within ${this.settings.timeoutMs} ms`);
      // undici hides the useful part (ECONNREFUSED, ENONPUBLIC…) in `cause`.
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(cause ? `${cause.code ?? ''} ${cause.message ?? ''}`.trim() : String(err), { cause: err });
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.direct.close(), ...[...this.proxies.values()].map((p) => p.close())]);
  }

  private timeouts() {
    return { headersTimeout: this.settings.timeoutMs, bodyTimeout: this.settings.timeoutMs };
  }

  /** Throws (nothing sent) when the proxy is required and none applies. */
  private dispatcherFor(url: URL): Dispatcher {
    const proxy = this.route.check(url);
    if (!proxy) return this.direct;
    let agent = this.proxies.get(proxy);
    if (!agent) this.proxies.set(proxy, (agent = new ProxyAgent({ uri: proxy, ...this.timeouts() })));
    return agent;
  }
}
