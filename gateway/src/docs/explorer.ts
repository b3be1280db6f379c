import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DOCS_PATH } from './docs-page.js';

const require = createRequire(import.meta.url);

/** A file inside an installed package; packages that do not export their UMD builds still export package.json. */
const packageFile = (pkg: string, file: string) => join(dirname(require.resolve(`${pkg}/package.json`)), file);

/**
 * The explorer's third-party files, served by the gateway from the installed packages: nothing is loaded
 * from a CDN, so the explorer works where the graph runs without internet. GraphiQL 3 is the last line
 * with a UMD build (React 18 as globals), which needs no bundler here.
 */
export const EXPLORER_VENDOR: Record<string, string> = {
  'react.production.min.js': packageFile('react', 'umd/react.production.min.js'),
  'react-dom.production.min.js': packageFile('react-dom', 'umd/react-dom.production.min.js'),
  'graphiql.min.js': packageFile('graphiql', 'graphiql.min.js'),
  'graphiql.min.css': packageFile('graphiql', 'graphiql.min.css'),
  'graphql-ws.min.js': packageFile('graphql-ws', 'umd/graphql-ws.min.js'),
};

const vendor = (file: string) => `${DOCS_PATH}/assets/vendor/${file}`;

/** The explorer page: a token bar above GraphiQL; scripts are files (the CSP allows no inline script). */
export function explorerPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Explorer: Personalisation Hub partner API</title>
<link rel="stylesheet" href="${vendor('graphiql.min.css')}">
<link rel="stylesheet" href="${DOCS_PATH}/assets/docs.css">
</head>
<body class="explorer">
<form id="token-bar" class="token-bar">
  <a href="${DOCS_PATH}">← Docs</a>
  <label for="token">Access token</label>
  <input id="token" name="token" type="password" autocomplete="off" spellcheck="false"
    placeholder="paste the access_token from POST /oauth/token">
  <button type="submit">Use token</button>
  <span id="token-state" role="status"></span>
</form>
<div id="graphiql">Loading the explorer…</div>
<script src="${vendor('react.production.min.js')}"></script>
<script src="${vendor('react-dom.production.min.js')}"></script>
<script src="${vendor('graphql-ws.min.js')}"></script>
<script src="${vendor('graphiql.min.js')}"></script>
<script src="${DOCS_PATH}/assets/explorer.js"></script>
</body>
</html>
`;
}

/**
 * Runs in the browser. The token is kept for the tab only (sessionStorage) and sent as `Authorization`
 * on HTTP and in `connection_init` on graphql-ws. The schema comes from the contract the gateway serves
 * (`/docs/introspection.json`), so the explorer has it even where only registered documents run.
 */
export const EXPLORER_SCRIPT = `(() => {
  'use strict';
  const KEY = 'phub.explorer.token';
  const input = document.getElementById('token');
  const state = document.getElementById('token-state');
  const graphUrl = new URL('/graphql', location.href).href;
  const wsUrl = graphUrl.replace(/^http/, 'ws');
  let token = sessionStorage.getItem(KEY) || '';
  input.value = token;
  const bearer = () => (token ? 'Bearer ' + token.replace(/^Bearer\\s+/i, '') : undefined);
  const show = () => { state.textContent = token ? 'Token set: requests are sent as you' : 'No token: requests are anonymous'; };

  let ws;
  const wsClient = () => {
    if (!ws) ws = graphqlWs.createClient({ url: wsUrl, lazy: true, connectionParams: () => (bearer() ? { authorization: bearer() } : {}) });
    return ws;
  };
  const http = (params, options) => {
    const headers = Object.assign({ 'content-type': 'application/json', accept: 'application/json' }, (options && options.headers) || {});
    if (bearer()) headers.authorization = bearer();
    return fetch(graphUrl, { method: 'POST', headers, body: JSON.stringify(params) }).then((r) => r.json());
  };
  const subscribe = (params) => ({
    [Symbol.asyncIterator]() {
      const queue = [];
      let wake;
      let done = false;
      const push = (item) => { queue.push(item); if (wake) { wake(); wake = undefined; } };
      const stop = wsClient().subscribe(params, {
        next: (value) => push({ value }),
        error: (error) => push({ value: { errors: [].concat(error && error.message ? { message: error.message } : error) }, last: true }),
        complete: () => push({ last: true }),
      });
      return {
        async next() {
          while (!queue.length) await new Promise((r) => (wake = r));
          const item = queue.shift();
          if (item.last && item.value === undefined) { done = true; return { done: true, value: undefined }; }
          if (item.last) done = true;
          return { done: false, value: item.value };
        },
        async return() { stop(); done = true; return { done: true, value: undefined }; },
      };
    },
  });
  const fetcher = (params, options) => {
    if (params.operationName === 'IntrospectionQuery') {
      return fetch('${DOCS_PATH}/introspection.json').then((r) => r.json());
    }
    const isSubscription = /^\\s*subscription\\b/m.test(String(params.query || '').replace(/#.*$/gm, ''));
    return isSubscription ? subscribe(params) : http(params, options);
  };

  document.getElementById('token-bar').addEventListener('submit', (event) => {
    event.preventDefault();
    token = input.value.trim();
    if (token) sessionStorage.setItem(KEY, token); else sessionStorage.removeItem(KEY);
    // A new socket, so connection_init carries the new token.
    if (ws) { ws.dispose(); ws = undefined; }
    show();
  });
  show();
  const root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, { fetcher, defaultEditorToolsVisibility: true, shouldPersistHeaders: false }));
})();
`;

/** The page's own styles: the docs' reading layout, and a full-height explorer under its token bar. */
export const DOCS_CSS = `
:root { color-scheme: light; --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --accent: #0b5cad; }
body { margin: 0; font: 15px/1.55 system-ui, -apple-system, 'Segoe UI', sans-serif; color: var(--ink); }
header { position: sticky; top: 0; background: #fff; border-bottom: 1px solid var(--line); padding: 0.6rem 1.5rem; z-index: 1; }
header h1 { font-size: 1.2rem; margin: 0 0 0.3rem; }
nav { display: flex; flex-wrap: wrap; gap: 1rem; }
a { color: var(--accent); }
main { max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem 4rem; }
h2 { border-bottom: 1px solid var(--line); padding-bottom: 0.3rem; margin-top: 2.5rem; }
h3.kind { margin-top: 2rem; color: var(--muted); }
section.operation, section.type { border-top: 1px solid #eaeef2; padding: 0.5rem 0; }
pre { background: #f6f8fa; border: 1px solid #eaeef2; border-radius: 6px; padding: 0.75rem; overflow-x: auto; }
code { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0; }
th, td { text-align: left; vertical-align: top; border-bottom: 1px solid #eaeef2; padding: 0.3rem 0.5rem; }
td p { margin: 0; }
.deprecated { color: #9a6700; }
body.explorer { height: 100vh; display: flex; flex-direction: column; }
.token-bar { display: flex; align-items: center; gap: 0.6rem; padding: 0.5rem 1rem; border-bottom: 1px solid var(--line); }
.token-bar input { flex: 1; min-width: 10rem; font: inherit; padding: 0.3rem 0.5rem; }
.token-bar span { color: var(--muted); font-size: 0.9em; }
#graphiql { flex: 1; min-height: 0; }
`;
