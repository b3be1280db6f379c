import { composeServices } from '@apollo/composition';
import { composePublicContract } from '../public-contract.js';
import {
  createLogger,
  DEFAULT_QUERY_LIMITS,
  GATEWAY_SECRET_HEADER,
  GraphQLServer,
  ServiceMetrics,
  type QueryLimits,
} from '@phub/kit';
import { parse, visit, type DocumentNode, type GraphQLSchema } from 'graphql';
import { setTimeout as sleep } from 'node:timers/promises';

export interface EchoContext {
  headers: Record<string, string | undefined>;
  /** graphql-ws `connection_init` payload, for subscriptions */
  connectionParams?: Record<string, unknown>;
}

/** Slow resolvers currently waiting, so a test can poll until its request is really in flight. */
export const slowCalls = { active: 0 };

/** Test subgraphs delay on purpose (slow upstreams); tests themselves poll instead of sleeping. */
export async function delay(ms: number): Promise<void> {
  slowCalls.active++;
  try {
    await sleep(ms);
  } finally {
    slowCalls.active--;
  }
}

/** A subgraph on a real port; `restart()` brings it back on the same port after `stop()`. */
export class TestSubgraph {
  private server?: GraphQLServer<EchoContext>;
  port = 0;

  constructor(
    readonly name: string,
    private readonly schema: GraphQLSchema,
    /** The gateway secret it requires (none: it answers anyone), and its own query limits. */
    private readonly guard: { secret?: string; limits?: QueryLimits } = {},
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/graphql`;
  }

  async start(): Promise<this> {
    const server = new GraphQLServer<EchoContext>({
      name: this.name,
      schema: this.schema,
      logger: createLogger(this.name, 'silent'),
      metrics: new ServiceMetrics(this.name),
      context: ({ headers, connectionParams }) => ({ headers, connectionParams }),
      shutdownTimeoutMs: 1_000,
      edge: {
        gatewaySecret: this.guard.secret,
        // The test catalogue's lists hold two items; sized so, deep test queries stay affordable.
        limits: this.guard.limits ?? { ...DEFAULT_QUERY_LIMITS, defaultListSize: 2 },
        production: false,
        reverifyMs: 30_000,
      },
    });
    // What the subgraph believes the client address is (X-Forwarded-For only from its gateway).
    server.http.app.get('/client-address', (req, res) => void res.json({ ip: req.ip }));
    this.port = await server.start(this.port, '127.0.0.1');
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    this.server = undefined;
  }

  /** The subgraph's SDL as composition tools read it (`_service { sdl }`), over HTTP. */
  async sdl(): Promise<DocumentNode> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.guard.secret ? { [GATEWAY_SECRET_HEADER]: this.guard.secret } : {}),
      },
      body: JSON.stringify({ query: '{ _service { sdl } }' }),
    });
    const body = (await res.json()) as { data: { _service: { sdl: string } } };
    return parse(body.data._service.sdl);
  }
}

export interface ComposeInput {
  subgraph: TestSubgraph;
  /** Override the URL written into the supergraph. */
  url?: string;
  /** `Type.field` names to leave out, to compose an older version of the subgraph. */
  omit?: string[];
}

/** Composes the subgraphs as CI does and returns the supergraph SDL. */
export async function composeSupergraph(inputs: ComposeInput[]): Promise<string> {
  const services = await Promise.all(
    inputs.map(async ({ subgraph, url, omit = [] }) => ({
      name: subgraph.name,
      url: url ?? subgraph.url,
      typeDefs: withoutFields(await subgraph.sdl(), omit),
    })),
  );
  const result = composeServices(services);
  if (result.errors) throw new Error(`composition failed: ${result.errors.map((e) => e.message).join('; ')}`);
  return result.supergraphSdl;
}

/** The partners' contract of the same subgraphs, as `pnpm compose` makes it: fields tagged with `@Public()`. */
export async function composePublicSupergraph(inputs: ComposeInput[]): Promise<string> {
  const services = await Promise.all(
    inputs.map(async ({ subgraph, url, omit = [] }) => ({
      name: subgraph.name,
      url: url ?? subgraph.url,
      typeDefs: withoutFields(await subgraph.sdl(), omit),
    })),
  );
  const result = await composePublicContract(services);
  if (result.errors) throw new Error(`contract composition failed: ${result.errors.join('; ')}`);
  return result.supergraphSdl!;
}

function withoutFields(doc: DocumentNode, omit: string[]): DocumentNode {
  let type = '';
  return visit(doc, {
    ObjectTypeDefinition: { enter: (node) => void (type = node.name.value) },
    FieldDefinition: (node) => (omit.includes(`${type}.${node.name.value}`) ? null : undefined),
  });
}
