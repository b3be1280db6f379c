import 'reflect-metadata';
import { Max, Min, MinLength } from 'class-validator';
import { createClient, type Client } from 'graphql-ws';
import { pino } from 'pino';
import { Arg, Ctx, Field, InputType, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notFound, unauthenticated } from './errors.js';
import { GraphQLServer, type ContextInput } from './graphql-server.js';
import { ServiceMetrics } from './metrics.js';
import { createMemoryPubSub } from './pubsub.js';
import { buildFederatedSchema } from './schema.js';
import { deferred, waitFor } from './testing/index.js';

const pubSub = createMemoryPubSub();
let slowRequest = { entered: deferred(), release: deferred() };

@InputType()
class RenameStoreInput {
  @Field()
  @MinLength(3)
  name: string;

  @Field(() => Int)
  @Min(1)
  @Max(10)
  priority: number;
}

@Resolver()
class TestResolver {
  @Query(() => String)
  hello(@Arg('name') name: string): string {
    return `Hello, ${name}`;
  }

  @Query(() => String)
  requestId(@Ctx() context: ContextInput): string {
    return context.requestId;
  }

  @Query(() => String)
  broken(): string {
    throw new Error('connection to 10.0.0.7 refused for user admin');
  }

  @Query(() => String)
  async slow(): Promise<string> {
    slowRequest.entered.resolve();
    await slowRequest.release.promise;
    return 'finally';
  }

  @Mutation(() => Boolean)
  removeStore(@Arg('id') id: string): boolean {
    throw notFound('Store', id);
  }

  @Mutation(() => String)
  renameStore(@Arg('input') input: RenameStoreInput): string {
    return input.name;
  }

  @Subscription(() => String, { topics: 'greetings' })
  greeted(@Root() greeting: string): string {
    return greeting;
  }

  @Subscription(() => String, { topics: 'greetings', description: 'The greeting, and whose credentials it ran with' })
  greetedAs(@Root() greeting: string, @Ctx() context: ContextInput): string {
    return `${greeting} as ${String(context.connectionParams?.authorization ?? 'nobody')}`;
  }
}

const metricsName = 'kit_server_test';

async function startServer(options: { ready?: () => boolean; context?: (input: ContextInput) => ContextInput } = {}) {
  const lines: { level: number; msg: string; err?: { message: string } }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  const schema = await buildFederatedSchema({ resolvers: [TestResolver], pubSub, validate: true });
  const server = new GraphQLServer({
    name: 'kit-test',
    schema,
    logger,
    metrics: new ServiceMetrics(metricsName),
    context: options.context ?? ((input) => input),
    readiness: [
      {
        name: 'database',
        check: async () => {
          if (options.ready && !options.ready()) throw new Error('database unreachable');
        },
      },
    ],
    bodyLimit: '2kb',
    shutdownTimeoutMs: 20_000,
  });
  const port = await server.start(0, '127.0.0.1');
  return { server, port, base: `http://127.0.0.1:${port}`, lines };
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLBody };
}

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: string[]; extensions: Record<string, unknown> & { code: string } }[];
}

/** Sums the samples of phub_<service>_<name> whose labels include `labels`, from Prometheus text. */
function sampleValue(text: string, name: string, labels: Record<string, string>): number {
  let sum = 0;
  for (const [, labelText, value] of text.matchAll(
    new RegExp(`^phub_${metricsName}_${name}\\{(.*)\\} (\\S+)$`, 'gm'),
  )) {
    const sample = Object.fromEntries([...labelText!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => sample[k] === v)) sum += Number(value);
  }
  return sum;
}

describe(GraphQLServer.name, () => {
  let ready = true;
  let running: Awaited<ReturnType<typeof startServer>>;
  let graphql: string;

  beforeAll(async () => {
    running = await startServer({ ready: () => ready });
    graphql = running.server.url;
  });

  afterAll(async () => {
    await running?.server.stop();
  });

  it('answers a query', async () => {
    const { status, body } = await post(graphql, {
      query: 'query Greet($n: String!) { hello(name: $n) }',
      variables: { n: 'Ann' },
    });
    expect(status).toBe(200);
    expect(body).toEqual({ data: { hello: 'Hello, Ann' } });
  });

  it.each([
    {
      what: 'a domain error keeps its code and details',
      query: 'mutation { removeStore(id: "s-404") }',
      status: 200,
      error: { message: 'Store s-404 was not found', extensions: { code: 'NOT_FOUND', entity: 'Store', id: 's-404' } },
    },
    {
      what: 'an unexpected error is masked',
      query: '{ broken }',
      status: 200,
      error: { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
    },
    {
      what: 'an unknown field fails validation',
      query: '{ nope }',
      status: 400,
      error: { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
    },
    {
      what: 'a syntax error fails parsing',
      query: '{ hello(',
      status: 400,
      error: { extensions: { code: 'GRAPHQL_PARSE_FAILED' } },
    },
  ])('$what', async ({ query, status, error }) => {
    const response = await post(graphql, { query });
    expect(response.status).toBe(status);
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors![0]).toMatchObject(error);
  });

  it('keeps the text of an unexpected error out of the response but in the log', async () => {
    const { body } = await post(graphql, { query: '{ broken }' });
    expect(JSON.stringify(body)).not.toContain('10.0.0.7');
    expect(running.lines).toContainEqual(
      expect.objectContaining({
        msg: 'unexpected error in resolver',
        err: expect.objectContaining({ message: expect.stringContaining('10.0.0.7') }),
      }),
    );
  });

  it('answers invalid input with BAD_USER_INPUT and the fields at fault', async () => {
    const { status, body } = await post(graphql, {
      query: 'mutation { renameStore(input: { name: "ab", priority: 11 }) }',
    });
    expect(status).toBe(200);
    const [error] = body.errors!;
    expect(error!.extensions.code).toBe('BAD_USER_INPUT');
    const fields = error!.extensions.fields as { field: string; messages: string[] }[];
    expect(fields.map((f) => f.field).sort()).toEqual(['name', 'priority']);
    expect(fields.every((f) => f.messages.length > 0)).toBe(true);
    expect(error!.message).toMatch(/^Invalid input: /);
    // class-validator's raw results (with the submitted object) are not sent back.
    expect(error!.extensions).not.toHaveProperty('validationErrors');

    const valid = await post(graphql, { query: 'mutation { renameStore(input: { name: "Breda", priority: 3 }) }' });
    expect(valid.body).toEqual({ data: { renameStore: 'Breda' } });
  });

  it.each([
    ['a body that is not JSON', '{"query": "{ hello(name: \\"x\\") }"', 400, 'BAD_REQUEST'],
    [
      'a body over the limit',
      JSON.stringify({ query: `{ hello(name: "${'x'.repeat(4096)}") }` }),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
  ])('refuses %s', async (_what, body, status, code) => {
    const response = await post(graphql, body);
    expect(response.status).toBe(status);
    expect(response.body.errors?.[0]?.extensions.code).toBe(code);
  });

  it('echoes a sane x-request-id and hands it to the context, and replaces one that is not', async () => {
    const own = await post(graphql, { query: '{ requestId }' }, { 'x-request-id': 'edge-42.a_b' });
    expect(own.headers.get('x-request-id')).toBe('edge-42.a_b');
    expect(own.body.data?.requestId).toBe('edge-42.a_b');

    const replaced = await post(graphql, { query: '{ requestId }' }, { 'x-request-id': 'has spaces; and more' });
    const id = replaced.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(replaced.body.data?.requestId).toBe(id);
  });

  it('answers /healthz, and /readyz by its checks', async () => {
    const health = await fetch(`${running.base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    const readyResponse = await fetch(`${running.base}/readyz`);
    expect(readyResponse.status).toBe(200);
    expect(await readyResponse.json()).toEqual({ status: 'ready', checks: [{ name: 'database', ok: true }] });

    ready = false;
    try {
      const notReady = await fetch(`${running.base}/readyz`);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toEqual({
        status: 'not ready',
        checks: [{ name: 'database', ok: false, error: 'database unreachable' }],
      });
    } finally {
      ready = true;
    }
  });

  it('counts HTTP requests and GraphQL operations on /metrics with bounded labels', async () => {
    await post(graphql, { query: 'query StoreGreeting { hello(name: "x") }' });
    await post(graphql, { query: '{ broken }' });
    await fetch(`${running.base}/wp-admin-${Date.now()}`);

    const response = await fetch(`${running.base}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(
      sampleValue(text, 'http_requests_total', { method: 'POST', route: '/graphql', status: '200' }),
    ).toBeGreaterThan(0);
    expect(sampleValue(text, 'http_requests_total', { method: 'GET', route: 'other', status: '404' })).toBe(1);
    // The process-wide bus metrics are served beside the service's (the dead-letter alert needs them scraped).
    expect(text).toContain('# TYPE phub_bus_dead_letters_total counter');
    expect(
      sampleValue(text, 'graphql_operations_total', {
        operation_type: 'query',
        operation_name: 'StoreGreeting',
        outcome: 'success',
      }),
    ).toBe(1);
    expect(
      sampleValue(text, 'graphql_operations_total', {
        operation_type: 'query',
        operation_name: 'anonymous',
        outcome: 'error',
      }),
    ).toBeGreaterThan(0);
    expect(text).not.toContain('wp-admin');
  });

  it('serves subscriptions over graphql-ws on the same port and path', async () => {
    const client: Client = createClient({
      url: graphql.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    const received: unknown[] = [];
    const done = new Promise<void>((resolve, reject) => {
      client.subscribe(
        { query: 'subscription { greeted }' },
        { next: (result) => void received.push(result), error: reject, complete: resolve },
      );
    });
    try {
      // graphql-ws does not acknowledge a subscription, so publish until the first event arrives.
      let sent = 0;
      await waitFor(
        () => {
          pubSub.publish('greetings', `hello ${sent++}`);
          return received.length > 0;
        },
        { intervalMs: 20, message: 'a subscription event' },
      );
      expect(received[0]).toEqual({ data: { greeted: expect.stringMatching(/^hello \d+$/) } });
    } finally {
      await client.dispose();
    }
    await done;
  });
});

describe(`${GraphQLServer.name} shutdown`, () => {
  it('answers /readyz with 503 while draining', async () => {
    const { server, base } = await startServer();
    try {
      server.http.startDraining();
      const response = await fetch(`${base}/readyz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: 'draining' });
    } finally {
      await server.stop();
    }
  });

  it('lets an in-flight request finish before stop() resolves', async () => {
    const { server } = await startServer();
    slowRequest = { entered: deferred(), release: deferred() };
    const inFlight = post(server.url, { query: '{ slow }' });
    await slowRequest.entered.promise;

    let stopped = false;
    const stopping = server.stop().then(() => {
      stopped = true;
    });
    // Give stop() every chance to finish early; it must not while the request runs.
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);

    slowRequest.release.resolve();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ data: { slow: 'finally' } });
    await stopping;
    await expect(fetch(server.url)).rejects.toThrow();
  });
});

describe(`${GraphQLServer.name} with a multiplexing gateway`, () => {
  // A service context that checks credentials as real ones do: "Bearer revoked" is refused.
  const checking = (input: ContextInput): ContextInput => {
    if (input.connectionParams?.authorization === 'Bearer revoked') throw unauthenticated('Access token was revoked');
    return input;
  };

  it('runs each operation on one socket with the token in its extensions, and refuses a bad one alone', async () => {
    const running = await startServer({ context: checking });
    const client: Client = createClient({
      url: running.server.url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    const received = new Map<string, string[]>();
    const refused: unknown[] = [];
    const open = (authorization: string) =>
      client.subscribe(
        { query: 'subscription { greetedAs }', extensions: { authorization } },
        {
          next: (r) => {
            const list = received.get(authorization) ?? [];
            list.push(String((r.data as { greetedAs: string }).greetedAs));
            received.set(authorization, list);
          },
          error: (err) => void refused.push(err),
          complete: () => undefined,
        },
      );
    try {
      const stops = [open('Bearer ada'), open('Bearer revoked'), open('Bearer bob')];
      await waitFor(() => refused.length === 1, { message: 'the refused operation' });
      expect(refused[0]).toEqual([
        expect.objectContaining({ message: 'Access token was revoked', extensions: { code: 'UNAUTHENTICATED' } }),
      ]);
      let sent = 0;
      await waitFor(
        () => {
          pubSub.publish('greetings', `hi ${sent++}`);
          return (received.get('Bearer ada')?.length ?? 0) > 0 && (received.get('Bearer bob')?.length ?? 0) > 0;
        },
        { intervalMs: 20, message: 'events for both accepted operations' },
      );
      // Each ran with its own client's credentials, on the one socket.
      expect(received.get('Bearer ada')![0]).toMatch(/^hi \d+ as Bearer ada$/);
      expect(received.get('Bearer bob')![0]).toMatch(/^hi \d+ as Bearer bob$/);
      expect(received.has('Bearer revoked')).toBe(false);
      for (const stop of stops) stop();
    } finally {
      await client.dispose();
      await running.server.stop();
    }
  });
});
