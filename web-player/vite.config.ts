import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { compression } from 'vite-plugin-compression2';
import { defineConfig, type Plugin } from 'vite';

/** Brotli and gzip copies beside each file, made once at build: the gateway serves them as they are (no CPU per request). */
const compressed = () => compression({ algorithms: ['brotliCompress', 'gzip'], exclude: [/\.map$/], threshold: 1024 });

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * Writes the build's file list (and a version derived from it) into the service worker, which precaches them:
 * every build is a new worker, installed beside the old one and taking over with its own shell cache.
 */
function playerShell(): Plugin {
  return {
    name: 'phub-player-shell',
    apply: 'build',
    generateBundle(_options, bundle) {
      const sw = bundle['sw.js'];
      if (sw?.type !== 'chunk') return this.error('the service worker entry (sw.js) is missing from the build');
      // A classic worker cannot load chunks: one shared with the page (a module both import) breaks its install.
      if (sw.imports.length) {
        return this.error(`the service worker imports ${sw.imports.join(', ')}: the page must not import its modules`);
      }
      const files = Object.keys(bundle)
        .filter((f) => f !== 'sw.js' && !f.endsWith('.map'))
        .sort();
      const version = createHash('sha256').update(files.join('\n')).update(sw.code).digest('hex').slice(0, 16);
      const placeholder = /(['"`])__PLAYER_SHELL__\1/;
      if (!placeholder.test(sw.code)) return this.error('no __PLAYER_SHELL__ placeholder in the service worker');
      sw.code = sw.code.replace(placeholder, () => JSON.stringify(JSON.stringify({ version, files })));
    },
  };
}

// Relative base: the same build is served under /player/ by the gateway, or from any folder.
export default defineConfig({
  base: './',
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  plugins: [playerShell(), compressed()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: true,
    rollupOptions: {
      // The service worker is built beside the page, as dist/sw.js (its scope is the player's folder).
      input: { main: 'index.html', sw: 'src/sw.ts' },
      output: { entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js') },
    },
  },
});
