import type { OperationExample } from './docs-page.js';

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const code = (text: string, lang = '') => `<pre><code class="${lang}">${escape(text.trim())}</code></pre>`;

/** JSON for a shell's single quotes. */
const shellJson = (value: unknown) => JSON.stringify(value).replace(/'/g, `'\\''`);

/**
 * The quick start: a token by client credentials, a first query and subscription (taken from the
 * contract, so they always run), trusted documents, then webhooks. Every step names what exists today.
 */
export function quickStart(examples: { query?: OperationExample; subscription?: OperationExample }): string {
  const query = examples.query ?? { document: '{ __typename }' };
  const body = shellJson({ query: query.document, ...(query.variables ? { variables: query.variables } : {}) });
  const subscription = examples.subscription;
  return `<section id="quick-start">
<h2>Quick start</h2>
<p>Everything below goes to one origin, the graph's (<code>$GRAPH</code> in the examples, e.g.
<code>https://hub.example.com</code>). Your HQ administrator creates your API client in the HQ dashboard
(Administration → API clients) and hands you its id and secret (shown once) with the scopes you were granted.</p>

<h3 id="quick-start-token">1. A token by client credentials</h3>
<p><code>POST /oauth/token</code> (OAuth 2.0 client credentials, RFC 6749 §4.4) takes a form or JSON body and client
authentication by HTTP Basic or <code>client_id</code>/<code>client_secret</code> in the body. Tokens are short-lived
JWTs: fetch a new one when <code>expires_in</code> runs out. They are signed with the keys at
<code>/.well-known/jwks.json</code>.</p>
${code(`curl -s "$GRAPH/oauth/token" -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials
# {"access_token":"eyJ…","token_type":"Bearer","expires_in":…,"scope":"…"}
TOKEN=…  # access_token from the answer`)}

<h3 id="quick-start-query">2. A first query</h3>
<p>POST to <code>/graphql</code> with <code>Authorization: Bearer $TOKEN</code>. Partner tokens see the public
contract only (this page): any other field is unknown. Every answer carries <code>RateLimit-Limit</code>,
<code>RateLimit-Remaining</code> and <code>RateLimit-Reset</code>; over the limit you get HTTP 429 with
<code>Retry-After</code> and the code <code>RATE_LIMITED</code>.</p>
${code(query.document, 'graphql')}
${code(`curl -s "$GRAPH/graphql" -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\
  -d '${body}'`)}

<h3 id="quick-start-subscription">3. A first subscription over graphql-ws</h3>
<p>Subscriptions use the <code>graphql-transport-ws</code> protocol on the same URL (<code>wss://…/graphql</code>),
the token in <code>connection_init</code> as <code>authorization</code>; Server-Sent Events are served at
<code>/graphql/stream</code> too. With the <code>graphql-ws</code> client:</p>
${code(
  `import { createClient } from 'graphql-ws';

const client = createClient({
  url: 'wss://hub.example.com/graphql',
  connectionParams: () => ({ authorization: \`Bearer \${token}\` }),
});
client.subscribe(
  {
    query: \`${subscription?.document ?? 'subscription { … }'}\`,${subscription?.variables ? `\n    variables: ${JSON.stringify(subscription.variables)},` : ''}
  },
  { next: (event) => console.log(event.data), error: console.error, complete: () => {} },
);`,
  'js',
)}

<h3 id="quick-start-trusted-documents">4. Registering your documents (trusted documents)</h3>
<p>In production the graph runs only the operations registered for your client. Each document is registered under
the SHA-256 (hex) of its exact text; your HQ administrator registers them (the HQ dashboard, or
<code>registerTrustedDocuments(input: { clientId, documents })</code> from your CI). Then send the id instead of the text:</p>
${code(`DOC='${query.document.replace(/'/g, `'\\''`)}'
ID=$(printf '%s' "$DOC" | sha256sum | cut -d' ' -f1)
curl -s "$GRAPH/graphql" -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\
  -d "{\\"documentId\\":\\"sha256:$ID\\"}"`)}
<p>An id that is not registered for you answers <code>PERSISTED_QUERY_NOT_FOUND</code> (404); unregistered text
answers <code>OPERATION_NOT_ALLOWED</code> (403). The registered text itself runs too, so the explorer works with
your registered operations.</p>

<h3 id="quick-start-webhooks">5. Webhooks</h3>
<p>Events are pushed to your HTTPS endpoint as signed POSTs. Each event family has its own endpoints: register
one with your token and the family's read scope (<code>createCampaignWebhookEndpoint</code> with
<code>campaign:read</code>, <code>createQueueWebhookEndpoint</code> with <code>queue:read</code>), or an HQ administrator
registers it for you; the answer holds its <code>whsec_…</code> secret, shown once. Each delivery carries
<code>Phub-Event</code>, <code>Phub-Event-Id</code> (deduplicate by it: delivery is at least once, retried with backoff;
<code>redeliver…Webhook</code> sends a logged one again), <code>Phub-Delivery</code> and
<code>Phub-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</code>
where <code>v1 = HMAC-SHA256(secret, "&lt;t&gt;.&lt;raw body&gt;")</code>:</p>
${code(
  `import { createHmac, timingSafeEqual } from 'node:crypto';

function verify(secret, rawBody, header, nowSeconds = Math.floor(Date.now() / 1000)) {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2)));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > 300) return false; // stale: a replay
  const expected = createHmac('sha256', secret).update(\`\${t}.\${rawBody}\`).digest();
  const given = Buffer.from(parts.v1 ?? '', 'hex');
  return given.length === expected.length && timingSafeEqual(expected, given);
}`,
  'js',
)}

<h3 id="quick-start-explorer">Try it</h3>
<p>The <a href="/docs/explorer">explorer</a> (GraphiQL) runs operations against this graph with your token: paste it
at the top. The contract as SDL: <a href="/docs/schema.graphql">/docs/schema.graphql</a>.</p>
</section>`;
}
