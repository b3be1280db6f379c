/** Where the graph is: `window.PHUB_GRAPHQL_URL` when a deployment injects it, else `/graphql` on this origin. */
export function graphqlUrl(win: Pick<Window, 'PHUB_GRAPHQL_URL' | 'location'> = window): string {
  return new URL(win.PHUB_GRAPHQL_URL || '/graphql', win.location.href).toString();
}

/** The same path over ws/wss: the gateway serves graphql-ws on its /graphql. */
export function graphqlWsUrl(httpUrl: string): string {
  const url = new URL(httpUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/** The router's basename from Vite's base, which may be a path (/hq/), relative (./) or a CDN URL. */
export function basenameFrom(base: string, href: string): string {
  const path = new URL(base, href).pathname.replace(/\/+$/, '');
  return path || '/';
}
