import react from '@vitejs/plugin-react';
import { compression } from 'vite-plugin-compression2';
import { defineConfig } from 'vite';

/** Brotli and gzip copies beside each file, made once at build: the gateway serves them as they are (no CPU per request). */
const compressed = () => compression({ algorithms: ['brotliCompress', 'gzip'], exclude: [/\.map$/], threshold: 1024 });

// Served by the gateway under /hq/; a CDN build sets HQ_BASE (e.g. `/` or `https://cdn.example/hq/`).
export default defineConfig({
  base: process.env.HQ_BASE ?? '/hq/',
  plugins: [react(), compressed()],
  // One React and one urql for the app and @phub/web-kit (its Provider and the pages' hooks share a context).
  resolve: { dedupe: ['react', 'react-dom', 'urql', '@urql/core'] },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: true },
  server: {
    // `pnpm dev` against a running platform: the graph is proxied so the app finds it at its own origin.
    proxy: {
      '/graphql': { target: process.env.PHUB_GATEWAY ?? 'http://localhost:4000', ws: true, changeOrigin: true },
    },
  },
});
