import { printSchema as printFederationSchema, Supergraph } from '@apollo/federation-internals';
import express, { type Express } from 'express';
import { buildSchema, introspectionFromSchema, printSchema, type GraphQLSchema } from 'graphql';
import { securityHeaders } from '../security-headers.js';
import { DOCS_PATH, renderDocsPage } from './docs-page.js';
import { DOCS_CSS, EXPLORER_SCRIPT, EXPLORER_VENDOR, explorerPage } from './explorer.js';

/**
 * The API schema (what clients are served) of a supergraph, in this module's graphql: @apollo/gateway hands
 * out schemas of graphql's CommonJS build, which our ES module build does not recognise (instanceof), so
 * the schema crosses over as SDL.
 */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  return buildSchema(printFederationSchema(Supergraph.build(supergraphSdl).apiSchema()));
}

/** What the pages are made of, made once per contract (the contract is hot reloaded with its file). */
interface Rendered {
  schema: GraphQLSchema;
  page: string;
  sdl: string;
  introspection: string;
}

/**
 * `/docs` on the gateway: the developer page, the SDL and introspection of the partners' contract, and
 * the explorer with its assets. Public, like the contract itself (partners read it before they have a
 * token); without a contract it answers 503 rather than show the internal graph.
 */
export function mountDocs(app: Express, options: { contract: () => GraphQLSchema | undefined; assetSources: string }) {
  let rendered: Rendered | undefined;
  const current = (): Rendered | undefined => {
    const schema = options.contract();
    if (!schema) return undefined;
    if (rendered?.schema !== schema) {
      rendered = {
        schema,
        page: renderDocsPage(schema),
        sdl: printSchema(schema),
        introspection: JSON.stringify({ data: introspectionFromSchema(schema, { descriptions: true }) }),
      };
    }
    return rendered;
  };
  const router = express.Router();
  router.use(securityHeaders({ assetSources: options.assetSources }));
  const withContract =
    (send: (r: Rendered, res: express.Response) => void): express.RequestHandler =>
    (_req, res) => {
      const r = current();
      if (!r) {
        res.status(503).type('text/plain').send('The public contract is not loaded (run pnpm compose and deploy it)');
        return;
      }
      res.setHeader('cache-control', 'no-cache');
      send(r, res);
    };
  router.get(
    '/',
    withContract((r, res) => res.type('html').send(r.page)),
  );
  router.get(
    '/schema.graphql',
    withContract((r, res) => res.type('text/plain').send(r.sdl)),
  );
  router.get(
    '/introspection.json',
    withContract((r, res) => res.type('json').send(r.introspection)),
  );
  router.get('/explorer', (_req, res) => {
    res.setHeader('cache-control', 'no-cache');
    res.type('html').send(explorerPage());
  });
  router.get('/assets/docs.css', (_req, res) => res.type('css').send(DOCS_CSS));
  router.get('/assets/explorer.js', (_req, res) => res.type('js').send(EXPLORER_SCRIPT));
  router.get('/assets/vendor/:file', (req, res, next) => {
    const path = EXPLORER_VENDOR[req.params.file];
    if (!path) return next();
    // The files belong to pinned package versions: a deploy changes them along with this page. Our own
    // map names them, so pnpm's `.pnpm` folder on their path is no dotfile a client asked for.
    res.sendFile(path, { maxAge: '1h', dotfiles: 'allow' }, (err) => err && next(err));
  });
  app.use(DOCS_PATH, router);
}
