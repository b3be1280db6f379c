/**
 * Egress: every call the platform makes to an outside party (AEM, webhooks, SNS, S3, KMS) goes through here, so
 * that one setting sends it through the chain's egress proxy (Squid in the seed) and one place enforces it.
 *
 * Node's fetch ignores `HTTPS_PROXY`, and the AWS SDK's handler opens its own sockets, so both are given the same
 * route decision: `fetch()` uses undici's ProxyAgent, the SDK a node agent (`awsRequestHandler()`) that tunnels
 * with CONNECT through the same proxy. `NO_PROXY` follows the common convention (as undici and curl read it):
 * host names with their subdomains, `.suffix`/`*.suffix`, an optional `:port`, and `*` for everything.
 *
 * With `EGRESS_PROXY_REQUIRED=true` a request that would leave directly (no proxy set, and its host not in
 * `NO_PROXY`) is refused before any socket opens: a missing proxy setting in production fails loudly instead of
 * leaking around the proxy. The network policy that makes the proxy the only way out belongs to the cluster.
 */
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { Agent as NodeAgentBase, type AgentConnectOpts } from 'agent-base';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent, ProxyAgent, fetch as undiciFetch, type Dispatcher, type RequestInit, type Response } from 'undici';
import { z } from 'zod';
import { DomainError, ErrorCode } from '../errors.js';
import { optionalString } from '../env.js';

/** The egress settings every service reads (upper or lower case, as curl and undici accept them). */
export const egressEnvSchema = z.object({
  HTTPS_PROXY: optionalString,
  HTTP_PROXY: optionalString,
  NO_PROXY: optionalString,
  EGRESS_PROXY_REQUIRED: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Whole-request time limit for outside calls, unless the caller gives its own. */
  EGRESS_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
});

export interface EgressOptions {
  httpsProxy?: string;
  httpProxy?: string;
  noProxy?: string;
  /** Refuse requests that would go out directly. */
  required?: boolean;
  timeoutMs?: number;
}

/** Reads the proxy settings from the environment; lower-case names win, as undici and curl read them. */
export function egressOptionsFromEnv(source: NodeJS.ProcessEnv = process.env): EgressOptions {
  const pick = (name: string) => source[name.toLowerCase()] || source[name] || undefined;
  const env = egressEnvSchema.parse({
    HTTPS_PROXY: pick('HTTPS_PROXY'),
    HTTP_PROXY: pick('HTTP_PROXY'),
    NO_PROXY: pick('NO_PROXY'),
    EGRESS_PROXY_REQUIRED: source.EGRESS_PROXY_REQUIRED,
    EGRESS_TIMEOUT_MS: source.EGRESS_TIMEOUT_MS,
  });
  return {
    httpsProxy: env.HTTPS_PROXY,
    httpProxy: env.HTTP_PROXY,
    noProxy: env.NO_PROXY,
    required: env.EGRESS_PROXY_REQUIRED,
    timeoutMs: env.EGRESS_TIMEOUT_MS,
  };
}

/** A request the egress rules refuse (no proxy where one is required). Nothing was sent. */
export class EgressRefusedError extends DomainError {
  constructor(readonly url: string) {
    const host = new URL(url).host;
    super(
      ErrorCode.FORBIDDEN,
      `Refused a direct connection to ${host}: the egress proxy is required (set HTTPS_PROXY)`,
      {
        reason: 'EGRESS_PROXY_REQUIRED',
        host,
      },
    );
    this.name = 'EgressRefusedError';
  }
}

interface NoProxyEntry {
  host: string;
  port?: string;
}

function parseNoProxy(value: string | undefined): NoProxyEntry[] | '*' {
  const entries: NoProxyEntry[] = [];
  for (const raw of (value ?? '').split(/[,\s]+/)) {
    const item = raw.trim().toLowerCase();
    if (!item) continue;
    if (item === '*') return '*';
    // `[::1]:8080`, `host:8080`, `.example.com`, `*.example.com`
    const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(item);
    if (!m) continue;
    entries.push({ host: m[1]!.replace(/^\*?\./, '.').replace(/^\[|\]$/g, ''), port: m[2] });
  }
  return entries;
}

const defaultPort = (protocol: string) => (protocol === 'https:' ? '443' : '80');

export class Egress {
  private readonly noProxy: NoProxyEntry[] | '*';
  private readonly direct: Agent;
  private readonly proxies = new Map<string, ProxyAgent>();
  private nodeAgent?: NodeEgressAgent;

  constructor(readonly options: EgressOptions = {}) {
    this.noProxy = parseNoProxy(options.noProxy);
    this.direct = new Agent({ keepAliveTimeout: 10_000 });
  }

  /** The proxy a request to `url` goes through, or undefined for a direct connection. */
  proxyFor(url: string | URL): string | undefined {
    const u = typeof url === 'string' ? new URL(url) : url;
    const proxy =
      u.protocol === 'https:' ? (this.options.httpsProxy ?? this.options.httpProxy) : this.options.httpProxy;
    if (!proxy || this.bypasses(u)) return undefined;
    return proxy;
  }

  /** Throws EgressRefusedError when `url` would go out directly while the proxy is required. */
  check(url: string | URL): string | undefined {
    const u = typeof url === 'string' ? new URL(url) : url;
    const proxy = this.proxyFor(u);
    if (!proxy && this.options.required && !this.bypasses(u)) throw new EgressRefusedError(u.href);
    return proxy;
  }

  /** undici's fetch, routed by the egress rules, with the egress time limit unless `init.signal` is given. */
  async fetch(url: string | URL, init: RequestInit & { timeoutMs?: number } = {}): Promise<Response> {
    const { timeoutMs, ...rest } = init;
    const proxy = this.check(url);
    return undiciFetch(url, {
      ...rest,
      signal: rest.signal ?? AbortSignal.timeout(timeoutMs ?? this.options.timeoutMs ?? 10_000),
      dispatcher: this.dispatcherFor(proxy),
    });
  }

  /** The undici dispatcher for `url` (for callers that use undici's request API directly). */
  dispatcher(url: string | URL): Dispatcher {
    return this.dispatcherFor(this.check(url));
  }

  /** A node http(s) agent that follows the same rules, for libraries built on node:http. */
  agent(): http.Agent {
    this.nodeAgent ??= new NodeEgressAgent(this);
    return this.nodeAgent;
  }

  /** The request handler to give every AWS SDK v3 client (S3, SNS, KMS), so they leave through the proxy too. */
  awsRequestHandler(): NodeHttpHandler {
    const agent = this.agent();
    return new NodeHttpHandler({
      httpAgent: agent,
      httpsAgent: agent as unknown as https.Agent,
      connectionTimeout: this.options.timeoutMs,
      requestTimeout: this.options.timeoutMs,
    });
  }

  async close(): Promise<void> {
    this.nodeAgent?.destroy();
    await Promise.all([this.direct.close(), ...[...this.proxies.values()].map((p) => p.close())]);
  }

  // proxyTunnel false: plain-HTTP targets are sent to the proxy as absolute-URI requests (the proxy sees and logs the
  // URL, as with the node agent); HTTPS targets are tunnelled with CONNECT either way.
  private dispatcherFor(proxy: string | undefined): Dispatcher {
    if (!proxy) return this.direct;
    let agent = this.proxies.get(proxy);
    if (!agent)
      this.proxies.set(proxy, (agent = new ProxyAgent({ uri: proxy, keepAliveTimeout: 10_000, proxyTunnel: false })));
    return agent;
  }

  private bypasses(u: URL): boolean {
    if (this.noProxy === '*') return true;
    const host = u.hostname.toLowerCase().replace(/^\[|\]$/g, '');
    const port = u.port || defaultPort(u.protocol);
    return this.noProxy.some((e) => {
      if (e.port && e.port !== port) return false;
      if (e.host.startsWith('.')) return host.endsWith(e.host) || host === e.host.slice(1);
      return host === e.host || host.endsWith(`.${e.host}`);
    });
  }
}

/** Per request: a CONNECT tunnel (https) or an absolute-URI request (http) through the proxy, else direct. */
class NodeEgressAgent extends NodeAgentBase {
  private readonly directHttp = new http.Agent({ keepAlive: true });
  private readonly directHttps = new https.Agent({ keepAlive: true });
  private readonly tunnels = new Map<string, http.Agent>();

  constructor(private readonly egress: Egress) {
    super({ keepAlive: true });
  }

  connect(_req: http.ClientRequest, opts: AgentConnectOpts): http.Agent | Duplex {
    const scheme = opts.secureEndpoint ? 'https' : 'http';
    const proxy = this.egress.check(`${scheme}://${formatHost(opts.host ?? 'localhost')}:${opts.port}`);
    if (!proxy) return opts.secureEndpoint ? this.directHttps : this.directHttp;
    const key = `${scheme} ${proxy}`;
    let agent = this.tunnels.get(key);
    if (!agent) {
      agent = opts.secureEndpoint
        ? new HttpsProxyAgent(proxy, { keepAlive: true })
        : new HttpProxyAgent(proxy, { keepAlive: true });
      this.tunnels.set(key, agent);
    }
    return agent;
  }

  override destroy(): void {
    this.directHttp.destroy();
    this.directHttps.destroy();
    for (const a of this.tunnels.values()) a.destroy();
    super.destroy();
  }
}

const formatHost = (host: string) => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);

let shared: Egress | undefined;
/** The process's egress, from its environment (one pool of connections per process). */
export function egress(): Egress {
  shared ??= new Egress(egressOptionsFromEnv());
  return shared;
}
