import 'reflect-metadata';
import { createClient } from 'graphql-ws';
import { createRequire } from 'node:module';
import { parse } from 'graphql';
import { pino } from 'pino';
import { Arg, Field, InputType, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { GraphQLServer, type ContextInput } from './graphql-server.js';
import { findBadInput, InputProblem, stringProblem } from './input-guard.js';
import { ServiceMetrics } from './metrics.js';
import { createMemoryPubSub } from './pubsub.js';
import { buildFederatedSchema } from './schema.js';

describe(stringProblem.name, () => {
  it.each([
    ['plain text', 'Oxford Street'],
    ['tab, line feed and carriage return (free text)', 'line one\r\n\tline two'],
    ['a surrogate pair (emoji)', 'café 🎉'],
    ['DEL and C1 characters, which Postgres stores as they are', 'a\u007Fb\u0085c'],
    ['the empty string', ''],
  ])('lets %s through', (_what, value) => {
    expect(stringProblem(value)).toBeNull();
  });

  it.each([
    ['NUL', 'v1\u0000', InputProblem.NUL_CHARACTER],
    ['NUL alone', '\u0000', InputProblem.NUL_CHARACTER],
    ['bell', 'a\u0007', InputProblem.CONTROL_CHARACTER],
    ['vertical tab', 'a\u000Bb', InputProblem.CONTROL_CHARACTER],
    ['form feed', '\u000C', InputProblem.CONTROL_CHARACTER],
    ['escape', '\u001B[31m', InputProblem.CONTROL_CHARACTER],
    ['unit separator', '\u001F', InputProblem.CONTROL_CHARACTER],
    ['a lone high surrogate', 'x\uD800', InputProblem.LONE_SURROGATE],
    ['a lone low surrogate', '\uDC00x', InputProblem.LONE_SURROGATE],
    ['a reversed pair', '\uDE00\uD83D', InputProblem.LONE_SURROGATE],
  ])('refuses %s', (_what, value, reason) => {
    expect(stringProblem(value)?.reason).toBe(reason);
  });
});

describe(findBadInput.name, () => {
  const find = (query: string, variables?: Record<string, unknown>, operationName?: string) =>
    findBadInput(parse(query), operationName, variables).map((f) => [f.field, f.reason]);

  it('finds inline literals in nested input objects and lists, under aliases and fragments', () => {
    expect(
      find(`
        mutation {
          a: rename(input: { name: "ok", tags: ["x", "y\\u0000"], inner: { note: "\\u0001" } })
          ...F
        }
        fragment F on Mutation { move(to: "\\u001f") }
      `),
    ).toEqual([
      ['a.input.tags[1]', InputProblem.NUL_CHARACTER],
      ['a.input.inner.note', InputProblem.CONTROL_CHARACTER],
      ['move.to', InputProblem.CONTROL_CHARACTER],
    ]);
  });

  it('follows variables into their values, their defaults and JSON keys', () => {
    expect(
      find(
        `query Q($i: In!, $d: String = "\\u0000", $unused: String) {
          stores { search(input: $i, name: $d) }
        }`,
        { i: { plays: [{ v: 'fine' }, { v: 'bad\u0000' }], json: { 'k\u0002': 1 } }, unused: '\uD800' },
      ),
    ).toEqual([
      ['stores.search.input.plays[1].v', InputProblem.NUL_CHARACTER],
      ['stores.search.input.json.k\\u0002 (key)', InputProblem.CONTROL_CHARACTER],
      ['stores.search.name', InputProblem.NUL_CHARACTER],
      ['$unused', InputProblem.LONE_SURROGATE],
    ]);
  });

  it('checks only the operation that runs', () => {
    const doc = `query A { a(x: "\\u0000") } query B { b(x: "fine") }`;
    expect(find(doc, {}, 'B')).toEqual([]);
    expect(find(doc, {}, 'A')).toEqual([['a.x', InputProblem.NUL_CHARACTER]]);
  });

  it('checks directive arguments', () => {
    expect(find(`query($s: Boolean!) { a @include(if: $s) b @x(y: "\\u0003") }`, { s: true })).toEqual([
      ['b@x.y', InputProblem.CONTROL_CHARACTER],
    ]);
  });

  it('reports a bounded number of problems and survives very deep variables', () => {
    const many = Array.from({ length: 500 }, () => '\u0000');
    expect(find(`query($l: [String!]!) { a(l: $l) }`, { l: many })).toHaveLength(20);
    let deep: unknown = '\u0000';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(() => find(`query($l: [String!]!) { a(l: $l) }`, { l: deep })).not.toThrow();
  });
});

// A real subgraph server: the guard must answer before any resolver runs, over HTTP and graphql-ws.
const calls: string[] = [];
const pubSub = createMemoryPubSub();

@InputType()
class NoteInput {
  @Field()
  text: string;

  @Field(() => [String], { nullable: true })
  tags?: string[];
}

// type-graphql (not bundled by vitest) recognises scalars of the graphql build Node resolves for it.
const { GraphQLError, GraphQLScalarType } = createRequire(import.meta.url)('graphql') as typeof import('graphql');
// Like a subgraph's own date scalar: the supergraph only knows its name, so the gateway forwards any text.
const StrictDate = new GraphQLScalarType({
  name: 'StrictDate',
  parseValue: (value) => {
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new GraphQLError('not a date');
    return value;
  },
  serialize: (value) => value,
});

@Resolver()
class GuardedResolver {
  @Query(() => String)
  day(@Arg('on', () => StrictDate) on: string): string {
    calls.push('day');
    return on;
  }

  @Query(() => String)
  echo(@Arg('text') text: string): string {
    calls.push('echo');
    return text;
  }

  @Mutation(() => String)
  addNote(@Arg('input', () => NoteInput) input: NoteInput): string {
    calls.push('addNote');
    return input.text;
  }

  @Subscription(() => String, { topics: 'notes' })
  noteAdded(@Root() note: string, @Arg('prefix') _prefix: string): string {
    calls.push('noteAdded');
    return note;
  }
}

interface Body {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions: { code: string; fields?: { field: string; reason: string }[] } }[];
}

describe(GraphQLServer.name + ' input guard', () => {
  let server: GraphQLServer<ContextInput>;

  beforeAll(async () => {
    const schema = await buildFederatedSchema({ resolvers: [GuardedResolver], pubSub, validate: true });
    server = new GraphQLServer({
      name: 'guard-test',
      schema,
      logger: pino({ level: 'silent' }),
      metrics: new ServiceMetrics('kit_guard_test'),
      context: (input) => input,
    });
    await server.start(0, '127.0.0.1');
  });
  afterAll(async () => server?.stop());

  const post = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, body: (await res.json()) as Body };
  };

  it.each([
    [
      'a NUL in a variable',
      'mutation($i: NoteInput!) { addNote(input: $i) }',
      { i: { text: 'a\u0000' } },
      'addNote.input.text',
      'NUL_CHARACTER',
    ],
    [
      'a control character in a list',
      'mutation($i: NoteInput!) { addNote(input: $i) }',
      { i: { text: 'ok', tags: ['x', '\u0008'] } },
      'addNote.input.tags[1]',
      'CONTROL_CHARACTER',
    ],
    ['a lone surrogate', 'query($t: String!) { echo(text: $t) }', { t: '\uDBFF' }, 'echo.text', 'LONE_SURROGATE'],
    [
      'an inline literal',
      'mutation { addNote(input: { text: "\\u0000" }) }',
      {},
      'addNote.input.text',
      'NUL_CHARACTER',
    ],
  ])(
    'refuses %s with BAD_USER_INPUT and its path, before the resolver',
    async (_what, query, variables, field, reason) => {
      calls.length = 0;
      const { status, body } = await post(query, variables);
      expect(status).toBe(200);
      expect(body.data).toBeUndefined();
      expect(body.errors).toHaveLength(1);
      expect(body.errors![0]!.extensions.code).toBe('BAD_USER_INPUT');
      expect(body.errors![0]!.extensions.fields).toEqual([expect.objectContaining({ field, reason })]);
      expect(body.errors![0]!.message).toContain(field);
      expect(calls).toEqual([]);
    },
  );

  it('answers a variable its scalar refuses with BAD_USER_INPUT and HTTP 200, which the gateway passes on', async () => {
    calls.length = 0;
    const { status, body } = await post('query($on: StrictDate!) { day(on: $on) }', { on: '2024-02-3' });
    expect(status).toBe(200);
    expect(body.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect(calls).toEqual([]);
    // Parse and validation failures keep their 400: the gateway never sends such documents.
    expect((await post('{ day(on: ) }')).status).toBe(400);
  });

  it('lets free text with tabs and line breaks through to the resolver', async () => {
    calls.length = 0;
    const { body } = await post('mutation($i: NoteInput!) { addNote(input: $i) }', { i: { text: 'a\tb\r\nc' } });
    expect(body).toEqual({ data: { addNote: 'a\tb\r\nc' } });
    expect(calls).toEqual(['addNote']);
  });

  it('refuses a subscription with bad input over graphql-ws', async () => {
    const client = createClient({ url: server.url.replace('http', 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
    try {
      const errors = await new Promise<unknown>((resolve) => {
        client.subscribe(
          { query: 'subscription($p: String!) { noteAdded(prefix: $p) }', variables: { p: '\u0000' } },
          { next: () => resolve('next'), error: resolve, complete: () => resolve('complete') },
        );
      });
      expect(errors).toEqual([
        expect.objectContaining({
          extensions: expect.objectContaining({
            code: 'BAD_USER_INPUT',
            fields: [expect.objectContaining({ field: 'noteAdded.prefix', reason: 'NUL_CHARACTER' })],
          }),
        }),
      ]);
    } finally {
      await client.dispose();
    }
  });
});
