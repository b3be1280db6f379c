import type { AemReaders, SirenEntity, SlingChild } from '../../aem/aem.readers.js';
import { checkJcrPath } from '../../aem/aem.readers.js';
import type { ContentScope } from '../../scope.js';
import type { SearchService } from '../search/search.service.js';
import type { SourceService } from '../source/source.service.js';
import { AemNodeKind, type AemBrowseResult, type AemFragmentPage, type AemNode } from './browse.types.js';

const DAM = '/content/dam';
const FOLDER_TYPES = new Set(['sling:Folder', 'sling:OrderedFolder', 'nt:folder', 'cq:Folder']);

/** HQ browses AEM through it: the tree (Sling JSON; Assets API under /content/dam) and content fragments. */
export class BrowseService {
  constructor(
    private readonly sources: SourceService,
    private readonly readers: AemReaders,
    private readonly search: SearchService,
  ) {}

  async browse(scope: ContentScope, sourceId: string, path: string): Promise<AemBrowseResult> {
    scope.assertCanBrowse();
    const source = await this.sources.get(scope, sourceId);
    const target = await this.sources.target(source);
    const p = checkJcrPath(path || '/content');
    const nodes =
      p === DAM || p.startsWith(`${DAM}/`)
        ? (await this.readers.assets(target, p)).entities.map(fromSiren)
        : (await this.readers.children(target, p)).map(fromSling);
    const parent = p.split('/').slice(0, -1).join('/');
    // What HQ has seen of AEM becomes searchable (AEM's own query APIs are not called for it).
    await this.search.nodes(scope.tenantId, sourceId, nodes);
    return { sourceId, path: p, parentPath: p === '/' ? null : parent || '/', nodes };
  }

  async fragments(
    scope: ContentScope,
    sourceId: string,
    path: string | undefined,
    first: number | undefined,
    after: string | undefined,
  ): Promise<AemFragmentPage> {
    scope.assertCanBrowse();
    const source = await this.sources.get(scope, sourceId);
    const target = await this.sources.target(source);
    const page = await this.readers.fragments(target, { path, limit: first, cursor: after });
    await this.search.fragments(scope.tenantId, sourceId, page.items);
    return { items: page.items, cursor: page.cursor };
  }
}

function fromSling(c: SlingChild): AemNode {
  const kind =
    c.primaryType === 'cq:Page'
      ? AemNodeKind.PAGE
      : c.primaryType === 'dam:Asset'
        ? AemNodeKind.ASSET
        : c.primaryType && FOLDER_TYPES.has(c.primaryType)
          ? AemNodeKind.FOLDER
          : AemNodeKind.OTHER;
  return { name: c.name, path: c.path, title: c.title, kind, primaryType: c.primaryType, mimeType: null };
}

function fromSiren(e: SirenEntity): AemNode {
  const isAsset = e.class.includes('assets/asset');
  const metadata = (e.properties.metadata ?? {}) as Record<string, unknown>;
  return {
    name: e.name,
    path: e.path,
    title: e.title,
    kind: isAsset ? AemNodeKind.ASSET : AemNodeKind.FOLDER,
    primaryType: isAsset ? 'dam:Asset' : 'sling:Folder',
    mimeType: typeof metadata['dc:format'] === 'string' ? metadata['dc:format'] : null,
  };
}
