// Runs bench/proximity/run.ts as one long vitest "test" (the measurement writes bench/RESULTS.md), on the root
// config's SWC transform and `source` resolution of workspace packages. See bench/README.md.
import { fileURLToPath } from 'node:url';

import { defineConfig } from 'vitest/config';

import root from '../../vitest.config.js';

// Spread, not mergeConfig: mergeConfig would concatenate the root's test include with this one.
export default defineConfig({
  ...root,
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    ...root.test,
    include: ['bench/proximity/run.ts'],
    testTimeout: 30 * 60_000,
    hookTimeout: 120_000,
  },
});
