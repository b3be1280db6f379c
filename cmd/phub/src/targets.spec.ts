import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '@phub/e2e';
import { TEST_REDIS_URL } from '@phub/kit/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { MODULES, startOrder, SUBGRAPHS, TARGETS } from './targets.js';

/** A module resolution hook (node:module register) that writes every URL the process resolves to a file. */
const HOOKS = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.RESOLVED_FILE, result.url + '\\n');
  return result;
}`;

/**
 * The built binary with the hook, until it logs "platform ready"; then stopped. Returns every URL it resolved: each
 * ES module import (static or dynamic) and each CommonJS package imported from ES modules.
 */
async function resolvedBy(target: string, env: Record<string, string>): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'phub-targets-'));
  try {
    writeFileSync(join(dir, 'hooks.mjs'), HOOKS);
    writeFileSync(
      join(dir, 'register.mjs'),
      `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`,
    );
    const resolved = join(dir, 'resolved.txt');
    writeFileSync(resolved, '');
    const child = spawn(
      process.execPath,
      ['--import', join(dir, 'register.mjs'), join(ROOT, 'cmd/phub/dist/main.js'), `--target=${target}`],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          PORT: '0',
          METRICS_PORT: '0',
          HOST: '127.0.0.1',
          DATA_DIR: join(dir, 'data'),
          LOG_LEVEL: 'info',
          RESOLVED_FILE: resolved,
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    await new Promise<void>((ready, fail) => {
      const timer = setTimeout(() => fail(new Error(`--target=${target} not ready in 60 s:\n${output}`)), 60_000);
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (!output.includes('"msg":"platform ready"')) return;
        clearTimeout(timer);
        ready();
      });
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => (clearTimeout(timer), fail(new Error(`exited with ${code}:\n${output}`))));
    }).finally(() => child.kill('SIGKILL'));
    return readFileSync(resolved, 'utf8').split('\n').filter(Boolean);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What a gateway never runs: the subgraphs' code and the storage the kit's main entry brings. (The kit's HTTP app
 * serves the bus metrics' registry, from bus/dead-letter: prom-client only.)
 */
const NOT_FOR_A_GATEWAY = [
  /\/subgraphs\//,
  /\/packages\/kit\/(src|dist)\/((index|infra|db|embedded-postgres)\.|(jobs|storage|subgraph)\/|bus\/(?!dead-letter\.))/,
  /\/node_modules\/(typeorm|pg-boss|kafkajs|pg|@aws-sdk\/[^/]+|@electric-sql\/pglite|type-graphql|reflect-metadata)\//,
];

describe('--target=gateway', () => {
  let resolved: string[];

  beforeAll(async () => {
    resolved = await resolvedBy('gateway', {
      // A standalone gateway's requirements; JWKS is fetched on the first token only.
      AUTH_JWKS_URL: 'http://127.0.0.1:9/.well-known/jwks.json',
      SUBGRAPH_SHARED_SECRET: 'targets-spec-gateway-secret-0123456789abcdef',
      REDIS_URL: TEST_REDIS_URL,
    });
  }, 90_000);

  it('loads the gateway (the hook sees what the process imports)', () => {
    expect(resolved.some((url) => url.includes('/node_modules/@apollo/gateway/'))).toBe(true);
    expect(resolved.some((url) => /\/gateway\/(src|dist)\/gateway-service\./.test(url))).toBe(true);
  });

  it('loads no subgraph, database, bus, job or object storage code', () => {
    expect(resolved.filter((url) => NOT_FOR_A_GATEWAY.some((pattern) => pattern.test(url)))).toEqual([]);
  });
});

describe('the module registry', () => {
  it('runs every module in --target=all, subgraphs after auth, the gateway after them, the worker last', () => {
    const order = startOrder(new Set(TARGETS)).map((m) => m.name);
    expect(new Set(order)).toEqual(new Set(MODULES.map((m) => m.name)));
    expect(order[0]).toBe('auth');
    expect(order.slice(-2)).toEqual(['gateway', 'worker']);
  });

  it('starts a split target alone, without pulling in what it starts after', () => {
    expect(startOrder(new Set(['gateway'])).map((m) => m.name)).toEqual(['gateway']);
    expect(startOrder(new Set(['location', 'auth'])).map((m) => m.name)).toEqual(['auth', 'location']);
  });

  it("agrees with each module's package on its name and port (load() checks them)", async () => {
    for (const module of MODULES) {
      const loaded = await module.load();
      expect(typeof loaded.create).toBe('function');
      expect(loaded.buildSchema !== undefined).toBe(SUBGRAPHS.includes(module));
    }
  }, 60_000);
});
