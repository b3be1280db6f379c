import { defineConfig } from 'vitest/config';

// The browser test: the real platform binary, the built dashboard, Debian Chromium via playwright-core.
export default defineConfig({
  // Workspace packages from their sources (the AEM-compatible test server of @phub/content ships no build).
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    include: ['e2e/**/*.e2e.spec.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
});
