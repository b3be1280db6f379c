export interface PlayerConfig {
  /** HTTP GraphQL endpoint (the gateway). */
  gatewayUrl: string;
  /** graphql-ws endpoint for playlistChanged. */
  wsUrl: string;
  /** Where recordPlayback goes (the gateway unless overridden). */
  playbackUrl: string;
  /** Rotate the other way when the screen is mounted on its other side. */
  clockwise: boolean;
}

const toGraphqlUrl = (value: string, base: string) => {
  const url = new URL(value, base);
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/graphql';
  return url.toString();
};

/** Reads ?gateway=, ?ws=, ?playback= and ?rotate=ccw; defaults to `/graphql` on the page's own origin. */
export function readConfig(search: string, origin: string): PlayerConfig {
  const params = new URLSearchParams(search);
  const gatewayUrl = toGraphqlUrl(params.get('gateway') || '/graphql', origin);
  const wsUrl = toGraphqlUrl(params.get('ws') || gatewayUrl, origin).replace(/^http/, 'ws');
  const playbackUrl = toGraphqlUrl(params.get('playback') || gatewayUrl, origin);
  return { gatewayUrl, wsUrl, playbackUrl, clockwise: params.get('rotate') !== 'ccw' };
}
