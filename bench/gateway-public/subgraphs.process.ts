// The four subgraphs in one process, on one port at /accounts, /inventory, /products and /reviews (as the benchmark
// serves them), counting the requests each gets. Plain node:http and graphql-js with each distinct document parsed and
// validated once, so a subgraph costs as little as Node allows and the gateway is what the rows compare.
import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, statsHandlers } from '../subscriptions/ipc.js';
import {
  IN_STOCK,
  PRODUCTS,
  REVIEWS,
  SDL,
  SUBGRAPH_NAMES,
  USER_REVIEWS,
  USERS,
  type Review,
  type SubgraphName,
} from './data.js';

type Obj = Record<string, unknown>;
const byId = <T extends { id: string }>(list: readonly T[], id: unknown) => list.find((x) => x.id === id) ?? null;
const product = (upc: unknown) => PRODUCTS.find((p) => p.upc === upc) ?? null;

const resolvers: Record<SubgraphName, Obj> = {
  accounts: {
    Query: {
      me: () => USERS[0],
      user: (_: unknown, args: { id: string }) => byId(USERS, args.id),
      users: () => USERS,
    },
    User: { __resolveReference: (ref: { id: string }) => byId(USERS, ref.id) },
  },
  inventory: {
    Product: {
      // Only the key is read: price and weight stay unknown (see data.ts), as in the benchmark's subgraph.
      __resolveReference: (ref: { upc: string }) =>
        ref.upc in IN_STOCK ? { upc: ref.upc, inStock: IN_STOCK[ref.upc], price: null, weight: null } : null,
      shippingEstimate: (p: { price: number | null; weight: number | null }) => {
        if (p.price === null) return null;
        if (p.price > 1000) return 0;
        return p.weight === null ? null : Math.trunc(p.weight / 2);
      },
    },
  },
  products: {
    Query: { topProducts: (_: unknown, args: { first?: number }) => PRODUCTS.slice(0, args.first ?? 5) },
    Product: { __resolveReference: (ref: { upc: string }) => product(ref.upc) },
  },
  reviews: {
    Review: {
      __resolveReference: (ref: { id: string }) => byId(REVIEWS, ref.id),
      product: (r: Review) => ({ upc: r.productUpc }),
      author: () => ({ id: '1', username: 'urigo', reviews: USER_REVIEWS }),
    },
    User: {
      __resolveReference: (ref: { id: string }) => ({ id: ref.id, username: 'user', reviews: USER_REVIEWS }),
    },
    Product: {
      __resolveReference: (ref: { upc: string }) => ({ upc: ref.upc }),
      reviews: (p: { upc: string }) => REVIEWS.filter((r) => r.productUpc === p.upc),
    },
  },
};

const schemas = new Map<string, GraphQLSchema>(
  SUBGRAPH_NAMES.map((name) => [
    `/${name}`,
    buildSubgraphSchema([{ typeDefs: parse(SDL[name]), resolvers: resolvers[name] as never }]),
  ]),
);
const documents = new Map<string, DocumentNode>();
const counts: Record<string, number> = Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, 0]));
/** While set, every request is kept (path and body), so the runner can replay one gateway query's fetches. */
let recording: { path: string; body: string }[] | undefined;

function reply(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const schema = req.method === 'POST' ? schemas.get(req.url ?? '') : undefined;
  if (!schema) return reply(res, 404, '{"errors":[{"message":"not found"}]}');
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    counts[req.url!.slice(1)]!++;
    recording?.push({ path: req.url!, body });
    void answer(req.url!, schema, body).then(
      (result) => reply(res, 200, result),
      (err: Error) => reply(res, 400, JSON.stringify({ errors: [{ message: err.message }] })),
    );
  });
}

async function answer(path: string, schema: GraphQLSchema, body: string): Promise<string> {
  const { query, variables, operationName } = JSON.parse(body) as {
    query: string;
    variables?: Obj;
    operationName?: string;
  };
  const key = `${path}\n${query}`;
  let document = documents.get(key);
  if (!document) {
    document = parse(query);
    const errors = validate(schema, document);
    if (errors.length) return JSON.stringify({ errors });
    documents.set(key, document);
  }
  return JSON.stringify(await execute({ schema, document, variableValues: variables, operationName }));
}

const server = createServer(handle);
server.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

serve({
  info: () => ({ base, urls: Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, `${base}/${n}`])) }),
  /** Requests per subgraph so far. */
  counts: () => ({ ...counts }),
  record: () => void (recording = []),
  recorded: () => {
    const kept = recording ?? [];
    recording = undefined;
    return kept;
  },
  ...statsHandlers,
});
