// Node module hooks: compile `.ts` with SWC (decorators and their metadata, as vitest.config.ts
// does), map `./x.js` imports to `./x.ts`, and let the benchmark's own files use the gateway's
// dependencies (bench/ has no node_modules of its own).
import { transformSync } from '@swc/core';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { URL, fileURLToPath } from 'node:url';

const BENCH = new URL('../', import.meta.url).href;
const GATEWAY_PACKAGE = new URL('../../gateway/package.json', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  const parent = context.parentURL;
  if (parent?.endsWith('.ts') && specifier.startsWith('.') && specifier.endsWith('.js')) {
    const js = new URL(specifier, parent);
    const ts = new URL(specifier.replace(/\.js$/, '.ts'), parent);
    if (!existsSync(js) && existsSync(ts)) return { url: ts.href, format: 'module', shortCircuit: true };
  }
  try {
    return await nextResolve(specifier, context);
  } catch (err) {
    const bare = !specifier.startsWith('.') && !specifier.startsWith('node:');
    if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !bare || !parent?.startsWith(BENCH)) throw err;
    return nextResolve(specifier, { ...context, parentURL: GATEWAY_PACKAGE });
  }
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const filename = fileURLToPath(url);
  const { code } = transformSync(await readFile(filename, 'utf8'), {
    filename,
    sourceMaps: 'inline',
    module: { type: 'es6' },
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    },
  });
  return { format: 'module', source: code, shortCircuit: true };
}
