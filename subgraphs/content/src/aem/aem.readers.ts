/**
 * Readers for AEM's documented read APIs, all through one AemClient (egress, time limits, retries, circuit):
 *
 * - Sling's default GET servlet: `<path>.json` (the node), `<path>.<N>.json` (N levels), `<path>.infinity.json`
 *   (the whole tree), which answers 300 Multiple Choices with a JSON array of depth-limited URLs when the tree has
 *   more nodes than `json.maximumresults` (200 by default); the reader follows the deepest one offered.
 * - Sling Model Exporter: `<page>.model.json` with `:type`, `:items` (an object keyed by child name) and
 *   `:itemsOrder` (their order), and `:children` for child pages.
 * - Assets HTTP API: `/api/assets/<path under /content/dam>.json`, Siren entities (`class`, `properties`,
 *   `entities`, `links` with `rel` and `href`); rendition binaries at `<asset>/_jcr_content/renditions/<name>`.
 * - Content Fragment delivery (OpenAPI): `/adobe/contentFragments?path=…&cursor=…&limit=…` answering
 *   `{ items, cursor }`, and `/adobe/contentFragments/<id>`, both with `ETag` / `If-None-Match` → 304.
 * - Persisted AEM GraphQL queries: `GET /graphql/execute.json/<configuration>/<query>;<var>=<value>`.
 */
import { AemError, AemErrorCode } from './aem.errors.js';
import type { AemClient, AemTarget } from './aem.client.js';

export type JsonObject = Record<string, unknown>;

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function malformed(what: string, why: string): AemError {
  return new AemError(AemErrorCode.MALFORMED_RESPONSE, `AEM's ${what} is not what the API documents: ${why}`);
}

/** A JCR path AEM accepts: absolute, no `..`, no selectors or extensions of its own smuggled in. */
export function checkJcrPath(path: string): string {
  const trimmed = path.replace(/\/+$/, '') || '/';
  if (!/^\/[\w\-:@ ./]*$/.test(trimmed) || trimmed.split('/').some((s) => s === '..' || s === '.')) {
    throw new AemError(AemErrorCode.NOT_FOUND, `Not an AEM path: ${path}`);
  }
  return trimmed;
}

const encodePath = (path: string) => path.split('/').map(encodeURIComponent).join('/');

/** What a Sling JSON read returned, and at which depth when the server asked for a shallower one (300). */
export interface SlingTree {
  node: JsonObject;
  /** The depth actually read: a number, or 'infinity'. */
  depth: number | 'infinity';
  /** True when `.infinity.json` answered 300 and a depth-limited URL was followed instead. */
  limited: boolean;
}

/** A node of a Sling JSON tree: its own properties (not starting with `jcr:`-child objects) and its children. */
export interface SlingChild {
  name: string;
  path: string;
  primaryType: string | null;
  title: string | null;
  node: JsonObject;
}

export class AemReaders {
  constructor(private readonly client: AemClient) {}

  /** `<path>.json`, `<path>.<depth>.json` or `<path>.infinity.json`; on 300 the deepest offered URL is read. */
  async sling(target: AemTarget, path: string, depth: number | 'infinity' = 0): Promise<SlingTree> {
    const p = checkJcrPath(path);
    const selector = depth === 0 ? '' : `.${depth}`;
    // Sling lists the depth-limited renderings that fit its result limit, deepest first (older versions: in any
    // order); only URLs of this very path are followed, so a hostile answer cannot send the reader elsewhere.
    const pick: { best?: { url: string; depth: string } } = {};
    const first = await this.client.getJson<unknown>(
      target,
      { api: 'sling', path: `${encodePath(p)}${selector}.json`, accepted: [300] },
      (status, json) => {
        if (status !== 300) {
          if (!isObject(json)) throw malformed(`Sling JSON of ${p}`, 'not an object');
          return;
        }
        const offered = Array.isArray(json) ? json.filter((u): u is string => typeof u === 'string') : [];
        const own = new RegExp(`^${escapeRegExp(encodePath(p))}\\.(\\d+)\\.json$`);
        pick.best = offered
          .map((url) => ({ url, depth: own.exec(url)?.[1] }))
          .filter((c): c is { url: string; depth: string } => c.depth !== undefined)
          .sort((a, b) => Number(b.depth) - Number(a.depth))[0];
        if (!pick.best) {
          throw new AemError(
            AemErrorCode.TOO_MANY_RESULTS,
            `AEM answered 300 Multiple Choices for ${p}${selector}.json without a depth-limited URL of ${p}`,
            300,
          );
        }
      },
    );
    const best = pick.best;
    if (first.status !== 300 || !best) return { node: first.json as JsonObject, depth, limited: false };
    const next = await this.client.getJson<unknown>(target, { api: 'sling', path: best.url }, (_s, json) => {
      if (!isObject(json)) throw malformed(`Sling JSON of ${p}`, 'not an object');
    });
    return { node: next.json as JsonObject, depth: Number(best.depth), limited: true };
  }

  /**
   * The child nodes of `path`, by Sling JSON, in repository order; `jcr:content` is left out. Two levels are read
   * so that each child's `jcr:content` (a page's title) comes along.
   */
  async children(target: AemTarget, path: string): Promise<SlingChild[]> {
    const p = checkJcrPath(path);
    const { node } = await this.sling(target, p, 2);
    return slingChildren(p, node);
  }

  /** `<page>.model.json` as the Sling Model Exporter gives it, components in `:itemsOrder`. */
  async model(target: AemTarget, path: string): Promise<ModelNode> {
    const p = checkJcrPath(path);
    const { json } = await this.client.getJson<unknown>(target, { api: 'model', path: `${encodePath(p)}.model.json` });
    return parseModel(json, p);
  }

  /** A folder or an asset of the Assets HTTP API (`/api/assets/<path under /content/dam>.json`). */
  async assets(target: AemTarget, damPath: string): Promise<SirenEntity> {
    const p = checkJcrPath(damPath);
    if (p !== '/content/dam' && !p.startsWith('/content/dam/')) {
      throw new AemError(AemErrorCode.NOT_FOUND, `Assets live under /content/dam, not ${p}`);
    }
    const rel = p.slice('/content/dam'.length);
    const { json } = await this.client.getJson<unknown>(target, {
      api: 'assets',
      path: `/api/assets${encodePath(rel)}.json`,
    });
    return parseSiren(json, p);
  }

  /** A rendition's bytes (`original` or a generated one such as `cq5dam.web.1280.1280.jpeg`), with its ETag. */
  async rendition(
    target: AemTarget,
    assetPath: string,
    name: string,
    etag?: string,
  ): Promise<{ notModified: boolean; bytes: Buffer; mimeType: string | null; etag: string | null }> {
    const p = checkJcrPath(assetPath);
    if (!/^[\w.-]+$/.test(name)) throw new AemError(AemErrorCode.NOT_FOUND, `Not a rendition name: ${name}`);
    const res = await this.client.get(target, {
      api: 'rendition',
      path: `${encodePath(p)}/_jcr_content/renditions/${encodeURIComponent(name)}`,
      accept: '*/*',
      binary: true,
      etag,
    });
    return {
      notModified: res.status === 304,
      bytes: res.body,
      mimeType: res.contentType?.split(';')[0]?.trim() ?? null,
      etag: res.etag,
    };
  }

  /** One page of content fragments under `path`; with `etag`, a 304 answers `notModified`. */
  async fragments(
    target: AemTarget,
    options: { path?: string; cursor?: string; limit?: number; etag?: string },
  ): Promise<FragmentPage> {
    const q = new URLSearchParams();
    if (options.path) q.set('path', checkJcrPath(options.path));
    if (options.cursor) q.set('cursor', options.cursor);
    q.set('limit', String(Math.min(Math.max(options.limit ?? 20, 1), 50)));
    const res = await this.client.getJson<unknown>(target, {
      api: 'fragments',
      path: `/adobe/contentFragments?${q}`,
      etag: options.etag,
    });
    if (res.status === 304)
      return { notModified: true, items: [], cursor: null, etag: res.etag ?? options.etag ?? null };
    if (!isObject(res.json) || !Array.isArray(res.json.items)) throw malformed('fragment list', 'no items array');
    return {
      notModified: false,
      items: res.json.items.map((i) => parseFragment(i)),
      cursor: typeof res.json.cursor === 'string' && res.json.cursor ? res.json.cursor : null,
      etag: res.etag,
    };
  }

  /** One content fragment by id; with `etag`, a 304 answers null (unchanged). */
  async fragment(
    target: AemTarget,
    id: string,
    etag?: string,
  ): Promise<{ fragment: Fragment | null; etag: string | null }> {
    if (!/^[\w-]+$/.test(id)) throw new AemError(AemErrorCode.NOT_FOUND, `Not a content fragment id: ${id}`);
    const res = await this.client.getJson<unknown>(target, {
      api: 'fragments',
      path: `/adobe/contentFragments/${encodeURIComponent(id)}`,
      etag,
    });
    if (res.status === 304) return { fragment: null, etag: res.etag ?? etag ?? null };
    return { fragment: parseFragment(res.json), etag: res.etag };
  }

  /** A persisted GraphQL query; variables go in the path as `;name=value`, as AEM's persisted queries take them. */
  async persistedQuery(
    target: AemTarget,
    configuration: string,
    query: string,
    variables: Record<string, string | number | boolean> = {},
  ): Promise<{ data: JsonObject | null; errors: { message: string }[] }> {
    if (!/^[\w-]+$/.test(configuration) || !/^[\w-]+$/.test(query)) {
      throw new AemError(AemErrorCode.NOT_FOUND, `Not a persisted query: ${configuration}/${query}`);
    }
    const vars = Object.entries(variables)
      .map(([k, v]) => `;${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
      .join('');
    const { json } = await this.client.getJson<unknown>(target, {
      api: 'graphql',
      path: `/graphql/execute.json/${configuration}/${query}${vars}`,
    });
    if (!isObject(json) || (!('data' in json) && !('errors' in json)))
      throw malformed('GraphQL answer', 'no data or errors');
    const errors = Array.isArray(json.errors)
      ? json.errors.map((e) => ({ message: isObject(e) && typeof e.message === 'string' ? e.message : String(e) }))
      : [];
    return { data: isObject(json.data) ? json.data : null, errors };
  }
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Children of a Sling JSON node: object-valued properties, except `jcr:content` and other `jcr:`/`rep:` nodes. */
export function slingChildren(parent: string, node: JsonObject): SlingChild[] {
  return Object.entries(node)
    .filter(([name, v]) => isObject(v) && !/^(jcr|rep|oak):/.test(name))
    .map(([name, v]) => {
      const child = v as JsonObject;
      const content = isObject(child['jcr:content']) ? child['jcr:content'] : {};
      const title = child['jcr:title'] ?? content['jcr:title'] ?? null;
      return {
        name,
        path: `${parent === '/' ? '' : parent}/${name}`,
        primaryType: typeof child['jcr:primaryType'] === 'string' ? child['jcr:primaryType'] : null,
        title: typeof title === 'string' ? title : null,
        node: child,
      };
    });
}

/** A Sling Model Exporter node: its `:type`, properties and components in `:itemsOrder`. */
export interface ModelNode {
  name: string;
  type: string | null;
  properties: JsonObject;
  items: ModelNode[];
}

export function parseModel(json: unknown, name: string): ModelNode {
  if (!isObject(json)) throw malformed(`model of ${name}`, 'not an object');
  const itemsJson = json[':items'];
  const order = json[':itemsOrder'];
  if (itemsJson !== undefined && !isObject(itemsJson)) throw malformed(`model of ${name}`, ':items is not an object');
  if (order !== undefined && !Array.isArray(order)) throw malformed(`model of ${name}`, ':itemsOrder is not an array');
  const items = isObject(itemsJson) ? itemsJson : {};
  const keys = Array.isArray(order)
    ? order.filter((k): k is string => typeof k === 'string' && k in items)
    : Object.keys(items);
  const properties = Object.fromEntries(Object.entries(json).filter(([k]) => !k.startsWith(':')));
  return {
    name,
    type: typeof json[':type'] === 'string' ? json[':type'] : null,
    properties,
    items: keys.map((k) => parseModel(items[k], k)),
  };
}

/** A Siren entity of the Assets HTTP API. */
export interface SirenEntity {
  path: string;
  class: string[];
  name: string;
  title: string | null;
  properties: JsonObject;
  links: { rel: string[]; href: string }[];
  entities: SirenEntity[];
}

export function parseSiren(json: unknown, path: string): SirenEntity {
  if (!isObject(json) || !Array.isArray(json.class)) throw malformed(`Assets API entity ${path}`, 'no Siren class');
  const properties = isObject(json.properties) ? json.properties : {};
  const links = Array.isArray(json.links)
    ? json.links.filter(isObject).map((l) => ({
        rel: Array.isArray(l.rel) ? l.rel.map(String) : [],
        href: typeof l.href === 'string' ? l.href : '',
      }))
    : [];
  const name = typeof properties.name === 'string' ? properties.name : (path.split('/').pop() ?? '');
  const title =
    typeof properties.title === 'string'
      ? properties.title
      : typeof properties['dc:title'] === 'string'
        ? properties['dc:title']
        : null;
  const childEntities = Array.isArray(json.entities) ? json.entities : [];
  return {
    path,
    class: json.class.map(String),
    name,
    title: title as string | null,
    properties,
    links,
    entities: childEntities.map((e) => {
      const childName =
        isObject(e) && isObject(e.properties) && typeof e.properties.name === 'string' ? e.properties.name : '';
      if (!childName) throw malformed(`Assets API entity ${path}`, 'a sub-entity without properties.name');
      return parseSiren(e, `${path}/${childName}`);
    }),
  };
}

/** A content fragment as the delivery API gives it. */
export interface Fragment {
  id: string;
  path: string;
  title: string | null;
  modelId: string | null;
  modified: string | null;
  fields: JsonObject;
}

export interface FragmentPage {
  notModified: boolean;
  items: Fragment[];
  cursor: string | null;
  etag: string | null;
}

export function parseFragment(json: unknown): Fragment {
  if (!isObject(json) || typeof json.id !== 'string' || typeof json.path !== 'string') {
    throw malformed('content fragment', 'no id or path');
  }
  const fields = isObject(json.fields) ? json.fields : {};
  const model = isObject(json.model) ? json.model : {};
  const modified = json.modified ?? (isObject(json.modified) ? null : null);
  return {
    id: json.id,
    path: json.path,
    title: typeof json.title === 'string' ? json.title : null,
    modelId: typeof json.modelId === 'string' ? json.modelId : typeof model.id === 'string' ? model.id : null,
    modified: typeof modified === 'string' ? modified : null,
    fields,
  };
}
