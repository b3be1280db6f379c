import { defineConfig } from 'vitest/config';

// The browser test: the real platform binary, the built player, Debian Chromium via playwright-core.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.spec.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
});
