/**
 * A local AEM-compatible HTTP server for tests (AEM itself cannot run here). It is built only from the request and
 * response shapes AEM documents, not from AEM's code:
 *
 * - Sling's default GET servlet JSON rendering: `<path>.json`, `<path>.<N>.json`, `<path>.infinity.json`; over the
 *   result limit (`json.maximumresults`, 200 by default) it answers 300 Multiple Choices with a JSON array of
 *   depth-limited URLs of the same path, deepest first.
 * - Sling Model Exporter: `<page>.model.json` with `:type`, `:items`, `:itemsOrder`, `:children`.
 * - Assets HTTP API: `GET /api/assets/<path under /content/dam>.json` as Siren (`class` `assets/folder` or
 *   `assets/asset`, `properties`, `entities`, `links`); renditions at `<asset>/_jcr_content/renditions/<name>`.
 * - Content Fragment delivery (OpenAPI): `GET /adobe/contentFragments?path&cursor&limit` → `{ items, cursor }`,
 *   `GET /adobe/contentFragments/<id>`; strong ETags, `If-None-Match` → 304.
 * - Persisted GraphQL queries: `GET /graphql/execute.json/<conf>/<query>;var=value` → `{ data }`.
 * - Authentication: HTTP basic (AEM 6.5 local users) or a bearer token (AEM as a Cloud Service); 401 otherwise.
 *
 * Tests switch it into failure modes (slow, 5xx, malformed JSON) and change content to see ETags move.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwtVerify } from 'jose';

export type AemAuth =
  { kind: 'basic'; username: string; password: string } | { kind: 'bearer'; token: string } | { kind: 'none' };
export type AemMode = 'ok' | 'slow' | 'error500' | 'malformed';

export interface AemFragmentData {
  id: string;
  path: string;
  title: string;
  modelId: string;
  fields: Record<string, unknown>;
}

interface JcrNode {
  props: Record<string, unknown>;
  children: Map<string, JcrNode>;
}

export interface SeenRequest {
  method: string;
  url: string;
  authorization?: string;
  via?: string;
  ifNoneMatch?: string;
}

const etagOf = (body: string | Buffer) => `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;

export class AemServer {
  readonly requests: SeenRequest[] = [];
  mode: AemMode = 'ok';
  /** How long the 'slow' mode holds each answer (ms). */
  slowMs = 5_000;
  /** Sling's json.maximumresults. */
  maxResults = 200;
  private readonly root: JcrNode = { props: { 'jcr:primaryType': 'rep:root' }, children: new Map() };
  private readonly fragments = new Map<string, AemFragmentData & { modified: string }>();
  private readonly renditions = new Map<string, Map<string, { bytes: Buffer; mimeType: string }>>();
  private readonly persisted = new Map<string, (vars: Record<string, string>) => unknown>();
  /** Adobe IMS's JWT exchange (`POST /ims/exchange/jwt`), as AEM as a Cloud Service's service credentials use it. */
  ims?: { clientId: string; clientSecret: string; publicKey: KeyObject; org: string; issueToken: () => string };

  private constructor(
    private readonly server: Server,
    public auth: AemAuth,
  ) {}

  static async start(
    auth: AemAuth = { kind: 'basic', username: 'phub-reader', password: 'reader-secret' },
  ): Promise<AemServer> {
    const holder: { self?: AemServer } = {};
    const server = createServer((req, res) => void holder.self!.handle(req, res));
    const self = (holder.self = new AemServer(server, auth));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return self;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** Creates (or updates) a node and its missing ancestors (as sling:Folder / nt:unstructured). */
  put(path: string, props: Record<string, unknown>): void {
    let node = this.root;
    for (const seg of path.split('/').filter(Boolean)) {
      let next = node.children.get(seg);
      if (!next) node.children.set(seg, (next = { props: { 'jcr:primaryType': 'sling:Folder' }, children: new Map() }));
      node = next;
    }
    Object.assign(node.props, props);
  }

  /** A cq:Page with its jcr:content and the components the Model Exporter lists, in order. */
  page(
    path: string,
    title: string,
    components: { name: string; type: string; props: Record<string, unknown> }[] = [],
  ): void {
    this.put(path, { 'jcr:primaryType': 'cq:Page' });
    this.put(`${path}/jcr:content`, {
      'jcr:primaryType': 'cq:PageContent',
      'jcr:title': title,
      'sling:resourceType': 'phub/components/page',
    });
    for (const c of components) {
      this.put(`${path}/jcr:content/root/${c.name}`, { 'sling:resourceType': c.type, ...c.props });
    }
  }

  /** A dam:Asset with its original rendition and any further ones. */
  asset(path: string, title: string, renditions: Record<string, { bytes: Buffer; mimeType: string }>): void {
    this.put(path, { 'jcr:primaryType': 'dam:Asset' });
    this.put(`${path}/jcr:content`, { 'jcr:primaryType': 'dam:AssetContent' });
    this.put(`${path}/jcr:content/metadata`, { 'dc:title': title, 'dc:format': renditions.original?.mimeType });
    this.renditions.set(path, new Map(Object.entries(renditions)));
  }

  fragment(data: AemFragmentData, modified = new Date().toISOString()): void {
    this.fragments.set(data.id, { ...data, modified });
    this.put(data.path, { 'jcr:primaryType': 'dam:Asset', 'jcr:title': data.title });
  }

  persistedQuery(conf: string, name: string, answer: (vars: Record<string, string>) => unknown): void {
    this.persisted.set(`${conf}/${name}`, answer);
  }

  private node(path: string): JcrNode | undefined {
    let node: JcrNode | undefined = this.root;
    for (const seg of path.split('/').filter(Boolean)) node = node?.children.get(seg);
    return node;
  }

  private authorised(req: IncomingMessage): boolean {
    const header = req.headers.authorization;
    switch (this.auth.kind) {
      case 'none':
        return true;
      case 'basic':
        return header === `Basic ${Buffer.from(`${this.auth.username}:${this.auth.password}`).toString('base64')}`;
      case 'bearer':
        return header === `Bearer ${this.auth.token}`;
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requests.push({
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      authorization: req.headers.authorization,
      via: req.headers.via as string | undefined,
      ifNoneMatch: req.headers['if-none-match'] as string | undefined,
    });
    try {
      if (this.mode === 'slow') await new Promise((resolve) => setTimeout(resolve, this.slowMs));
      if (res.destroyed) return;
      if (this.mode === 'error500')
        return this.send(res, 500, 'text/html', '<html><body>Internal Server Error</body></html>');
      if (req.method === 'POST' && req.url === '/ims/exchange/jwt') return await this.imsExchange(req, res);
      if (req.method !== 'GET') return this.send(res, 405, 'text/plain', 'method not allowed');
      if (!this.authorised(req)) {
        res.setHeader('www-authenticate', this.auth.kind === 'bearer' ? 'Bearer' : 'Basic realm="Sling (Development)"');
        return this.send(res, 401, 'text/plain', 'Unauthorized');
      }
      const url = new URL(req.url ?? '/', 'http://aem.local');
      const path = decodeURIComponent(url.pathname);
      if (path === '/adobe/contentFragments') return this.fragmentList(req, res, url);
      if (path.startsWith('/adobe/contentFragments/')) return this.fragmentById(req, res, path.slice(24));
      if (path.startsWith('/graphql/execute.json/'))
        return this.graphql(res, url.pathname.slice('/graphql/execute.json/'.length));
      if (path.startsWith('/api/assets')) return this.assets(res, path);
      const rendition = /^(.+)\/_jcr_content\/renditions\/([^/]+)$/.exec(path);
      if (rendition) return this.rendition(req, res, rendition[1]!, rendition[2]!);
      const model = /^(.+)\.model\.json$/.exec(path);
      if (model) return this.model(res, model[1]!);
      const sling = /^(.+?)(?:\.(\d+|infinity))?\.json$/.exec(path);
      if (sling) return this.sling(res, sling[1]!, sling[2] ?? '0');
      return this.send(res, 404, 'text/html', 'Not Found');
    } catch (err) {
      if (!res.headersSent) this.send(res, 500, 'text/plain', String(err));
    }
  }

  private async imsExchange(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString());
    const ims = this.ims;
    if (!ims || form.get('client_id') !== ims.clientId || form.get('client_secret') !== ims.clientSecret) {
      return this.send(res, 400, 'application/json', '{"error":"invalid_client"}');
    }
    try {
      await jwtVerify(form.get('jwt_token') ?? '', ims.publicKey, {
        issuer: ims.org,
        audience: `http://${req.headers.host}/c/${ims.clientId}`,
      });
    } catch {
      return this.send(res, 400, 'application/json', '{"error":"invalid_token"}');
    }
    const token = { token_type: 'bearer', access_token: ims.issueToken(), expires_in: 86_399_000 };
    this.send(res, 200, 'application/json', JSON.stringify(token));
  }

  private send(
    res: ServerResponse,
    status: number,
    type: string,
    body: string | Buffer,
    headers: Record<string, string> = {},
  ): void {
    res.writeHead(status, { 'content-type': type, ...headers });
    res.end(body);
  }

  private json(req: IncomingMessage | null, res: ServerResponse, value: unknown, status = 200): void {
    const body = this.mode === 'malformed' ? '{"jcr:primaryType": "cq:Page", <html>' : JSON.stringify(value);
    const etag = etagOf(body);
    if (req && req.headers['if-none-match'] === etag) return this.send(res, 304, 'application/json', '', { etag });
    this.send(res, status, 'application/json;charset=utf-8', body, req ? { etag } : {});
  }

  private render(node: JcrNode, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = { ...node.props };
    if (depth > 0) for (const [name, child] of node.children) out[name] = this.render(child, depth - 1);
    return out;
  }

  private count(node: JcrNode, depth: number): number {
    if (depth <= 0) return 1;
    let n = 1;
    for (const child of node.children.values()) n += this.count(child, depth - 1);
    return n;
  }

  private sling(res: ServerResponse, path: string, selector: string): void {
    const node = this.node(path);
    if (!node) return this.send(res, 404, 'text/html', 'Not Found');
    const depth = selector === 'infinity' ? Number.MAX_SAFE_INTEGER : Number(selector);
    if (this.count(node, depth) > this.maxResults) {
      // As Sling does: the depth-limited renderings of this path that stay within the limit, deepest first.
      const fits: string[] = [];
      for (let d = Math.min(depth, 64); d >= 0; d--)
        if (this.count(node, d) <= this.maxResults) fits.push(`${path}.${d}.json`);
      return this.json(null, res, fits, 300);
    }
    this.json(null, res, this.render(node, depth));
  }

  private model(res: ServerResponse, path: string): void {
    const page = this.node(path);
    const content = page?.children.get('jcr:content');
    if (!page || !content) return this.send(res, 404, 'text/html', 'Not Found');
    const exportNode = (n: JcrNode): Record<string, unknown> => {
      const items = [...n.children.entries()];
      const props = Object.fromEntries(Object.entries(n.props).filter(([k]) => !k.includes(':')));
      return {
        ...props,
        ':type': n.props['sling:resourceType'] ?? 'nt:unstructured',
        ...(items.length
          ? {
              ':items': Object.fromEntries(items.map(([k, c]) => [k, exportNode(c)])),
              ':itemsOrder': items.map(([k]) => k),
            }
          : {}),
      };
    };
    const root = content.children.get('root');
    this.json(null, res, {
      title: content.props['jcr:title'],
      ':type': content.props['sling:resourceType'],
      ':path': path,
      ':hierarchyType': 'page',
      ':items': root ? { root: exportNode(root) } : {},
      ':itemsOrder': root ? ['root'] : [],
      ':children': {},
    });
  }

  private siren(path: string, node: JcrNode, withChildren: boolean): Record<string, unknown> {
    const isAsset = node.props['jcr:primaryType'] === 'dam:Asset';
    const rel = path.slice('/content/dam'.length);
    const name = path.split('/').pop() ?? '';
    const metadata = (node.children.get('jcr:content')?.children.get('metadata')?.props ?? {}) as Record<
      string,
      unknown
    >;
    const links = [
      { rel: ['self'], href: `${this.url}/api/assets${rel}.json` },
      ...(isAsset ? [{ rel: ['content'], href: `${this.url}${path}` }] : []),
    ];
    const entities =
      withChildren && !isAsset
        ? [...node.children.entries()]
            .filter(([k]) => !k.includes(':'))
            .map(([k, c]) => this.siren(`${path}/${k}`, c, false))
        : [];
    return {
      class: [isAsset ? 'assets/asset' : 'assets/folder'],
      properties: isAsset
        ? { name, metadata, title: metadata['dc:title'] ?? node.props['jcr:title'] ?? null }
        : {
            name,
            title: node.props['jcr:title'] ?? name,
            'srn:paging': { offset: 0, limit: 20, total: entities.length },
          },
      ...(withChildren ? { entities } : {}),
      links,
    };
  }

  private assets(res: ServerResponse, path: string): void {
    const m = /^\/api\/assets(\/.*)?\.json$/.exec(path);
    const damPath = `/content/dam${m?.[1] ?? ''}`;
    const node = m ? this.node(damPath) : undefined;
    if (!node)
      return this.send(res, 404, 'application/json', '{"class":["core/response"],"properties":{"status":404}}');
    this.json(null, res, this.siren(damPath, node, true));
  }

  private rendition(req: IncomingMessage, res: ServerResponse, assetPath: string, name: string): void {
    const r = this.renditions.get(assetPath)?.get(name);
    if (!r) return this.send(res, 404, 'text/html', 'Not Found');
    const etag = etagOf(r.bytes);
    if (req.headers['if-none-match'] === etag) return this.send(res, 304, r.mimeType, '', { etag });
    this.send(res, 200, r.mimeType, r.bytes, { etag });
  }

  private fragmentJson(f: AemFragmentData & { modified: string }) {
    return { id: f.id, path: f.path, title: f.title, modelId: f.modelId, modified: f.modified, fields: f.fields };
  }

  private fragmentList(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const path = url.searchParams.get('path') ?? '/content/dam';
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 20) || 20, 50);
    const all = [...this.fragments.values()]
      .filter((f) => f.path.startsWith(`${path}/`))
      .sort((a, b) => a.path.localeCompare(b.path));
    // An opaque cursor: the offset, base64url, as the API's cursors are opaque to clients.
    const cursor = url.searchParams.get('cursor');
    const offset = cursor ? Number(Buffer.from(cursor, 'base64url').toString()) || 0 : 0;
    const page = all.slice(offset, offset + limit);
    const next = offset + limit < all.length ? Buffer.from(String(offset + limit)).toString('base64url') : undefined;
    this.json(req, res, { items: page.map((f) => this.fragmentJson(f)), ...(next ? { cursor: next } : {}) });
  }

  private fragmentById(req: IncomingMessage, res: ServerResponse, id: string): void {
    const f = this.fragments.get(id);
    if (!f) return this.send(res, 404, 'application/json', '{"title":"Not Found","status":404}');
    this.json(req, res, this.fragmentJson(f));
  }

  private graphql(res: ServerResponse, rest: string): void {
    const [name, ...params] = rest.split(';');
    const answer = this.persisted.get(decodeURIComponent(name ?? ''));
    if (!answer) return this.send(res, 404, 'application/json', '{"message":"No persisted query found"}');
    const vars = Object.fromEntries(params.map((p) => p.split('=').map(decodeURIComponent) as [string, string]));
    this.json(null, res, { data: answer(vars) });
  }
}
