import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import {
  buildClientSchema,
  buildSchema,
  getNamedType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  parse,
  validate,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayService } from '../index.js';
import { startGateway } from '../testing/index.js';
import { exampleOperation, renderDocsPage } from './docs-page.js';
import { apiSchemaOf } from './docs-routes.js';

const SCHEMA_DIR = fileURLToPath(new URL('../../../schema/', import.meta.url));
const apiSchema = (file: string): GraphQLSchema => apiSchemaOf(readFileSync(`${SCHEMA_DIR}${file}`, 'utf8'));

/** The HTML of one type's section on the page (up to the next section). */
const typeSection = (html: string, type: string) => {
  const start = html.indexOf(`<section class="type" id="type-${type}">`);
  return start < 0 ? undefined : html.slice(start, html.indexOf('</section>', start));
};

const fieldsOf = (schema: GraphQLSchema, type: string): string[] => {
  const t = schema.getType(type);
  return t && (isObjectType(t) || isInterfaceType(t) || isInputObjectType(t)) ? Object.keys(t.getFields()) : [];
};

/** The gateway's /docs, served from the committed supergraph and public contract (schema/). */
describe('gateway /docs', () => {
  let gateway: GatewayService;
  let base: string;
  const full = apiSchema('supergraph.graphql');
  const contract = apiSchema('public-supergraph.graphql');

  beforeAll(async () => {
    gateway = await startGateway(`${SCHEMA_DIR}supergraph.graphql`);
    base = gateway.url.replace(/\/graphql$/, '');
  });
  afterAll(() => gateway?.stop());

  const get = async (path: string) => {
    const res = await fetch(`${base}${path}`);
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      headers: res.headers,
      text: await res.text(),
    };
  };

  it('documents every root field and type of the contract, with descriptions and arguments', async () => {
    const page = await get('/docs');
    expect(page.status).toBe(200);
    expect(page.type).toContain('text/html');
    for (const root of [contract.getQueryType(), contract.getMutationType(), contract.getSubscriptionType()]) {
      const kind =
        root === contract.getQueryType() ? 'query' : root === contract.getMutationType() ? 'mutation' : 'subscription';
      for (const field of Object.values(root?.getFields() ?? {})) {
        expect(page.text).toContain(`id="${kind}-${field.name}"`);
        for (const arg of field.args) expect(page.text).toContain(`<td><code>${arg.name}</code></td>`);
      }
    }
    const playlist = contract.getSubscriptionType()!.getFields().playlistChanged!;
    expect(page.text).toContain(playlist.description!.slice(0, 40));
    expect(typeSection(page.text, 'Store')).toContain('<code>timezone</code>');
  });

  it('shows nothing outside the contract: no internal root field, type, or field of a public type', async () => {
    const { text } = await get('/docs');
    const internalRoots = Object.keys(full.getQueryType()!.getFields()).filter(
      (name) => !contract.getQueryType()!.getFields()[name],
    );
    expect(internalRoots).toEqual(expect.arrayContaining(['auditLog', 'apiClients']));
    for (const name of internalRoots) expect(text).not.toContain(`id="query-${name}"`);
    for (const name of Object.keys(full.getMutationType()!.getFields())) {
      if (!contract.getMutationType()?.getFields()[name]) expect(text).not.toContain(`id="mutation-${name}"`);
    }
    const internalTypes = Object.keys(full.getTypeMap()).filter((t) => !contract.getType(t) && !t.startsWith('__'));
    expect(internalTypes).toContain('AuditEvent');
    for (const type of internalTypes) expect(text).not.toContain(`id="type-${type}"`);
    // Fields a public type has in the full graph but not in the contract (e.g. a store's internal fields).
    let hidden = 0;
    const skip = ['Query', 'Mutation', 'Subscription', 'String', 'Int', 'Float', 'Boolean', 'ID'];
    for (const type of Object.keys(contract.getTypeMap()).filter((t) => !t.startsWith('__') && !skip.includes(t))) {
      const section = typeSection(text, type);
      expect(section, type).toBeDefined();
      const visible = fieldsOf(contract, type);
      for (const field of fieldsOf(full, type).filter((f) => !visible.includes(f))) {
        hidden++;
        expect(section, `${type}.${field}`).not.toContain(`<td><code>${field}</code>`);
      }
    }
    expect(hidden).toBeGreaterThan(0);
  });

  it('gives examples that validate against the contract', () => {
    const kinds = [
      ['query', contract.getQueryType()],
      ['mutation', contract.getMutationType()],
      ['subscription', contract.getSubscriptionType()],
    ] as const;
    let examples = 0;
    for (const [kind, root] of kinds) {
      for (const field of Object.values(root?.getFields() ?? {})) {
        const example = exampleOperation(kind, field);
        if (!example) continue;
        examples++;
        expect(validate(contract, parse(example.document)), `${kind} ${field.name}`).toEqual([]);
      }
    }
    expect(examples).toBeGreaterThan(10);
    const html = renderDocsPage(contract);
    const subscription = exampleOperation('subscription', contract.getSubscriptionType()!.getFields().playlistChanged!);
    expect(subscription?.document).toMatch(/^subscription PlaylistChanged\(\$displayId: ID!\) \{/);
    expect(subscription?.variables).toEqual({ displayId: expect.any(String) });
    expect(html).toContain('subscription PlaylistChanged($displayId: ID!)');
  });

  it('serves the SDL and introspection of the contract, the same schema', async () => {
    const sdl = buildSchema((await get('/docs/schema.graphql')).text);
    expect(Object.keys(sdl.getQueryType()!.getFields()).sort()).toEqual(
      Object.keys(contract.getQueryType()!.getFields()).sort(),
    );
    expect(sdl.getType('AuditEvent')).toBeUndefined();
    const introspection = JSON.parse((await get('/docs/introspection.json')).text) as { data: IntrospectionQuery };
    const client = buildClientSchema(introspection.data);
    expect(getNamedType(client.getQueryType()!.getFields().stores!.type).name).toBe('StoreConnection');
    expect(client.getQueryType()!.getFields().auditLog).toBeUndefined();
  });

  it('serves the explorer with every asset from the gateway itself (no CDN)', async () => {
    const page = await get('/docs/explorer');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const refs = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.filter((r) => r.endsWith('.js'))).toHaveLength(5);
    expect(page.text).not.toMatch(/<script>/); // nothing inline: the CSP would block it
    for (const ref of refs) {
      expect(ref, ref).toMatch(/^\/docs(\/|$)/);
      const asset = await get(ref);
      expect(asset.status, ref).toBe(200);
      if (ref.endsWith('.js')) {
        expect(asset.type).toContain('javascript');
        expect(() => new Script(asset.text), ref).not.toThrow(); // a real script, not an HTML fallback
        expect(asset.text, ref).not.toMatch(/(?:src|import)\s*\(?\s*["']https?:\/\//);
      }
      if (ref.endsWith('.css')) expect(asset.type).toContain('text/css');
    }
    expect((await get('/docs/assets/vendor/graphiql.min.js')).text).toContain('GraphiQL');
    expect((await get('/docs/assets/vendor/secrets.json')).status).toBe(404);
  });
});
