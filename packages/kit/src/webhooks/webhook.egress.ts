import { Agent, type Dispatcher, EnvHttpProxyAgent, fetch } from 'undici';
import { safeLookup, type UrlPolicy } from './webhook.url.js';

export interface EgressSettings extends UrlPolicy {
  /** How long an endpoint has to answer, body included (ms). */
  timeoutMs: number;
  /** The egress proxy (k8s: Squid); unset: direct, every socket to a checked public address. */
  proxyUrl?: string;
}

/**
 * The one HTTP client webhooks leave the platform through (undici). Direct, a socket connects only to the
 * address its lookup checked (no DNS rebinding into the cluster); through `HTTPS_PROXY` the proxy resolves
 * names and keeps to its allow-list and off link-local addresses. Redirects are not followed, every request
 * is bounded by `timeoutMs`, and the answer's body is dropped.
 */
export class WebhookEgress {
  private readonly dispatcher: Dispatcher;

  constructor(private readonly settings: EgressSettings) {
    const timeouts = { headersTimeout: settings.timeoutMs, bodyTimeout: settings.timeoutMs };
    this.dispatcher = settings.proxyUrl
      ? new EnvHttpProxyAgent({ ...timeouts, httpProxy: settings.proxyUrl, httpsProxy: settings.proxyUrl })
      : new Agent({ ...timeouts, connect: { lookup: safeLookup(settings), timeout: settings.timeoutMs } });
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
        dispatcher: this.dispatcher,
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

  close(): Promise<void> {
    return this.dispatcher.close();
  }
}
