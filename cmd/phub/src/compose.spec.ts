import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '@phub/e2e';
import { compose } from './compose.js';

/** `pnpm compose:check` in CI: what the code composes must be what is committed under schema/. */
describe(compose.name, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'phub-schema-'));
    await cp(path.join(ROOT, 'schema'), dir, { recursive: true });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds the committed supergraph and public contract up to date', async () => {
    expect(await compose({ schemaDir: dir, check: true })).toEqual([]);
  }, 60_000);

  it('fails when the public contract differs from what the code composes, and only names that file', async () => {
    const file = path.join(dir, 'public-supergraph.graphql');
    const committed = await readFile(file, 'utf8');
    // As if someone tagged one more field without running `pnpm compose`.
    await writeFile(file, committed.replace('\n  name: String!', '\n  name: String!\n  secret: String!'));
    const problems = await compose({ schemaDir: dir, check: true });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/public-supergraph\.graphql is out of date: run `pnpm compose`/);
    await writeFile(file, committed);
  }, 60_000);

  it('fails when the public contract is missing', async () => {
    await rm(path.join(dir, 'public-supergraph.graphql'));
    expect(await compose({ schemaDir: dir, check: true })).toEqual([
      expect.stringMatching(/public-supergraph\.graphql is out of date/),
    ]);
  }, 60_000);
});
