import { defineConfig } from 'vitest/config';

// Unit specs of the pure parts (node, no DOM). The browser test has its own config: vitest.e2e.config.ts.
export default defineConfig({
  test: {
    include: ['src/**/*.spec.ts'],
    exclude: ['**/node_modules/**', 'src/gql/**'],
    environment: 'node',
  },
});
