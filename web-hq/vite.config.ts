import react from '@vitejs/plugin-react';
import { compression } from 'vite-plugin-compression2';
import { createServer, defineConfig, type IndexHtmlTransformContext, type Plugin } from 'vite';

const DEDUPE = ['react', 'react-dom', 'urql', '@urql/core'];

/**
 * The sign-in page, rendered at build time into index.html's root (src/prerender.tsx), so a first visit shows it
 * as soon as the HTML arrives (the budget is 1 s on Fast 3G with a 4× slower CPU), not after the script runs.
 */
function prerenderSignIn(): Plugin {
  return {
    name: 'phub-prerender-sign-in',
    apply: 'build',
    // After Vite has linked the built files: the entry's stylesheet goes inline too (3 KiB compressed), since on a
    // slow link it would arrive only after the script it shares the bandwidth with, and the page waits for it.
    transformIndexHtml: { order: 'post', handler: prerender },
  };

  async function prerender(html: string, ctx: IndexHtmlTransformContext): Promise<string> {
    const server = await createServer({
      configFile: false,
      root: import.meta.dirname,
      logLevel: 'error',
      appType: 'custom',
      server: { middlewareMode: true, hmr: false, ws: false },
      plugins: [react()],
      resolve: { dedupe: DEDUPE },
      ssr: { noExternal: ['@phub/web-kit'] },
    });
    try {
      const { render } = (await server.ssrLoadModule('/src/prerender.tsx')) as { render: () => string };
      const root = '<div id="root"></div>';
      if (!html.includes(root)) throw new Error('index.html has no empty #root to pre-render into');
      return inlineEntryCss(html, ctx).replace(root, `<div id="root"><div data-prerendered>${render()}</div></div>`);
    } finally {
      await server.close();
    }
  }
}

function inlineEntryCss(html: string, ctx: IndexHtmlTransformContext): string {
  return html.replace(
    /<link rel="stylesheet" crossorigin href="[^"]*\/(assets\/[^"]+\.css)">/,
    (link, file: string) => {
      const asset = ctx.bundle?.[file];
      if (!asset || asset.type !== 'asset') return link;
      return `<style>${String(asset.source)}</style>`;
    },
  );
}

/** Brotli and gzip copies beside each file, made once at build: the gateway serves them as they are (no CPU per request). */
const compressed = () => compression({ algorithms: ['brotliCompress', 'gzip'], exclude: [/\.map$/], threshold: 1024 });

// Served by the gateway under /hq/; a CDN build sets HQ_BASE (e.g. `/` or `https://cdn.example/hq/`).
export default defineConfig({
  base: process.env.HQ_BASE ?? '/hq/',
  plugins: [react(), prerenderSignIn(), compressed()],
  // One React and one urql for the app and @phub/web-kit (its Provider and the pages' hooks share a context).
  resolve: { dedupe: DEDUPE },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: true },
  server: {
    // `pnpm dev` against a running platform: the graph is proxied so the app finds it at its own origin.
    proxy: {
      '/graphql': { target: process.env.PHUB_GATEWAY ?? 'http://localhost:4000', ws: true, changeOrigin: true },
    },
  },
});
