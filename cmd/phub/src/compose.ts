import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { composePublicContract, PUBLIC_SUPERGRAPH_FILE } from '@phub/gateway';
import { SUBGRAPHS } from './targets.js';

/**
 * Prints each subgraph's SDL from its code and composes them into the supergraph the gateway
 * boots from, and the public contract it serves partner tokens. With --check it writes nothing and
 * fails when composition fails or the committed files differ from what the code says.
 */
export async function compose(options: { schemaDir: string; check: boolean }): Promise<string[]> {
  const problems: string[] = [];
  const services = [];
  const files = new Map<string, string>();
  for (const subgraph of SUBGRAPHS) {
    const { buildSchema } = await subgraph.load();
    const sdl = printSubgraphSchema(await buildSchema!());
    files.set(`${subgraph.name}.graphql`, sdl);
    services.push({
      name: subgraph.name,
      typeDefs: parse(sdl),
      url: `http://localhost:${subgraph.port.default}/graphql`,
    });
  }
  const result = composeServices(services);
  if (result.errors) {
    return result.errors.map((e) => `composition: ${e.message}`);
  }
  files.set('supergraph.graphql', result.supergraphSdl);
  const contract = await composePublicContract(services);
  if (contract.errors) return contract.errors.map((e) => `public contract: ${e}`);
  files.set(PUBLIC_SUPERGRAPH_FILE, contract.supergraphSdl!);
  for (const [name, content] of files) {
    const file = path.join(options.schemaDir, name);
    if (options.check) {
      const committed = await readFile(file, 'utf8').catch(() => null);
      if (committed !== content) {
        problems.push(
          `${path.relative(process.cwd(), file)} is out of date: run \`pnpm compose\` and commit the result`,
        );
      }
    } else {
      await mkdir(options.schemaDir, { recursive: true });
      await writeFile(file, content);
    }
  }
  return problems;
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false }, out: { type: 'string' } } });
  const schemaDir = path.resolve(values.out ?? 'schema');
  const problems = await compose({ schemaDir, check: values.check ?? false });
  if (problems.length) {
    for (const p of problems) console.error(p);
    process.exit(1);
  }
  console.warn(
    values.check
      ? 'supergraph and public contract are up to date'
      : `wrote ${schemaDir}/supergraph.graphql and ${PUBLIC_SUPERGRAPH_FILE}`,
  );
}
