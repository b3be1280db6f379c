import 'reflect-metadata';
import { Ctx, Query, Resolver } from 'type-graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../auth/viewer.js';
import { parseEnv, sharedEnvSchema } from '../env.js';
import { createInfra, type Infra } from '../infra.js';
import { createLogger } from '../logger.js';
import { ServiceMetrics } from '../metrics.js';
import { createTestDatabase, TestIssuer } from '../testing/index.js';
import { defineSubgraph } from './define.js';

interface GreetingContext {
  viewer: Viewer | null;
  greeting: string;
}

@Resolver()
class GreetingResolver {
  constructor(private readonly word: string) {}

  @Query(() => String)
  greet(@Ctx() ctx: GreetingContext): string {
    return `${this.word} ${ctx.viewer?.tenantId ?? 'stranger'} (${ctx.greeting})`;
  }
}

/** Every step the kit runs, in the order it runs them. */
const steps: string[] = [];
const step = (name: string) => async () => void steps.push(name);

const greeting = defineSubgraph({
  name: 'greeting',
  schema: 'kit_greeting',
  port: { variable: 'GREETING_PORT', default: 4999 },
  entities: [],
  migrations: [],
  outbox: true,
  metrics: () => new ServiceMetrics('kit_greeting'),
  services: ({ dataSource }) => {
    steps.push(`services (database open: ${dataSource.isInitialized})`);
    return { word: 'Hello' };
  },
  beforeServing: step('beforeServing'),
  drain: step('drain'),
  resolvers: [[GreetingResolver, (s) => new GreetingResolver(s.word)]],
  context: ({ viewer }): GreetingContext => ({ viewer, greeting: 'from the context' }),
  routes: ({ app }) => {
    steps.push('routes');
    app.get('/hello', (_req, res) => void res.send('hello'));
  },
  consumers: () => [
    {
      subscribe: async () => {
        steps.push('consumer subscribed');
        return { close: step('consumer closed') };
      },
    },
  ],
  loops: () => [{ start: step('loop started'), stop: step('loop stopped') }],
  demoData: { afterListening: true, seed: step('demo data (after listening)') },
  handle: (g) => ({
    get running() {
      return g.running() !== undefined;
    },
  }),
});

describe(defineSubgraph.name, () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let infra: Infra;
  let issuer: TestIssuer;

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = parseEnv(sharedEnvSchema, { DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
    infra = await createInfra({ env, logger: createLogger('kit-test', 'silent'), standalone: false, targets: [] });
    issuer = await TestIssuer.create(infra);
  });
  afterAll(async () => {
    await infra?.close();
    await database?.drop();
  });

  it('builds its schema (for printing) without a database, with the outbox added to what it opens', async () => {
    const schema = await greeting.buildSchema();
    expect(Object.keys(schema.getQueryType()?.getFields() ?? {})).toContain('greet');
    expect(greeting.entities.map((e) => e.name)).toEqual(['OutboxMessage']);
    expect(greeting.migrations.map((m) => m.name)).toEqual(['CreateOutbox1764000000000']);
  });

  it('starts and stops in the documented order, serving with a verified viewer and its routes', async () => {
    const service = greeting.create(infra, { port: 0, host: '127.0.0.1', demoData: true, verifier: issuer.verifier });
    expect(() => service.url).toThrow('greeting is not started');
    await service.start();
    expect(service.running).toBe(true);

    const token = await issuer.token({ tid: '00000000-0000-4000-8000-000000000001', roles: ['HQ_ADMIN'] });
    const res = await fetch(service.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ greet }' }),
    });
    expect(await res.json()).toEqual({
      data: { greet: 'Hello 00000000-0000-4000-8000-000000000001 (from the context)' },
    });
    expect(await (await fetch(service.url.replace(/\/graphql$/, '/hello'))).text()).toBe('hello');
    expect((await fetch(service.url.replace(/\/graphql$/, '/readyz'))).status).toBe(200);

    await service.stop();
    expect(service.running).toBe(false);
    expect(steps).toEqual([
      'services (database open: true)',
      'beforeServing',
      'routes',
      'demo data (after listening)',
      'consumer subscribed',
      'loop started',
      'loop stopped',
      'consumer closed',
      'drain',
    ]);
  });

  it('needs a verifier unless it verifies tokens itself', () => {
    expect(greeting.ownVerifier).toBe(false);
    expect(() => greeting.create(infra, { port: 0 })).toThrow('greeting: options.verifier is required');
  });
});
