import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// The reliability suite: the built binary as split targets on the real Postgres and a Redis of its own.
// One scenario at a time: each runs four platform processes, and this machine has two cores.
export default defineConfig({
  // SWC, as the root config: the kit's sources (PostgresBus, test databases) carry decorators.
  plugins: [
    swc.vite({
      jsc: {
        target: 'es2022',
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      },
    }),
  ],
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['src/**/*.spec.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 180_000,
    // Five processes start before a scenario (the worker too), on a machine shared with other builds.
    hookTimeout: 240_000,
    teardownTimeout: 60_000,
  },
});
