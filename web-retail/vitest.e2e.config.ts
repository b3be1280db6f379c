import { defineConfig } from 'vitest/config';

// The browser test: the real platform binary, the built store app, Debian Chromium via playwright-core.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.spec.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
});
