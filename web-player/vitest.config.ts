import { defineConfig } from 'vitest/config';

// Unit specs of the pure parts (node, no DOM). The e2e has its own config: vitest.e2e.config.ts.
export default defineConfig({
  test: {
    include: ['src/**/*.spec.ts'],
    environment: 'node',
  },
});
