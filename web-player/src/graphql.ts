/** A GraphQL answer with errors: the server was reached and said no. */
export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    readonly codes: string[],
  ) {
    super(message);
    this.name = 'GraphQLRequestError';
  }
  get unauthenticated(): boolean {
    return this.codes.includes('UNAUTHENTICATED');
  }
}

/** The server could not be reached (offline, DNS, 5xx without a GraphQL body, timeout). */
export class NetworkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NetworkError';
  }
}

interface Body<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export async function gql<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
  timeoutMs = 15_000,
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new NetworkError(err instanceof Error ? err.message : String(err));
  }
  let body: Body<T>;
  try {
    body = (await res.json()) as Body<T>;
  } catch {
    throw new NetworkError(`HTTP ${res.status} without a GraphQL body`);
  }
  if (body.errors?.length) {
    throw new GraphQLRequestError(
      body.errors.map((e) => e.message).join('; '),
      body.errors.map((e) => e.extensions?.code ?? 'UNKNOWN'),
    );
  }
  if (!body.data) throw new NetworkError(`HTTP ${res.status} with no data`);
  return body.data;
}

export const ITEM_FIELDS = 'campaignId takeoverId creativeId url mimeType durationMs checksum fit';

export const LAYOUT_FIELDS = `layout { id name regions { name kind x y width height text main version
  items { ${ITEM_FIELDS} } } }`;

export const Q = {
  requestPairingCode: `mutation { requestPairingCode { code secret expiresAt pollIntervalSeconds } }`,
  pollPairing: `mutation ($code: String!, $secret: String!) {
    pollPairing(code: $code, secret: $secret) {
      status
      credential { displayId accessToken refreshToken expiresAt refreshTokenExpiresAt }
    }
  }`,
  refreshToken: `mutation ($refreshToken: String!) {
    refreshToken(refreshToken: $refreshToken) { accessToken refreshToken expiresAt refreshTokenExpiresAt displayId }
  }`,
  displayPlaylist: `query ($displayId: ID!) {
    displayPlaylist(displayId: $displayId) {
      version validUntil items { ${ITEM_FIELDS} } ${LAYOUT_FIELDS} display { name orientation store { id name } }
    }
  }`,
  // The playlist only: `display` is resolved by the location subgraph, which a subgraph's own endpoint lacks.
  playlistChanged: `subscription ($displayId: ID!) {
    playlistChanged(displayId: $displayId, current: true) {
      version playlist { version validUntil items { ${ITEM_FIELDS} } ${LAYOUT_FIELDS} }
    }
  }`,
  tenant: `query { tenant { name } }`,
  displayCommandSent: `subscription ($displayId: ID!) { displayCommandSent(displayId: $displayId) { id kind } }`,
  answerDisplayCommand: `mutation ($id: ID!, $answer: DisplayCommandAnswer!) {
    answerDisplayCommand(id: $id, answer: $answer) { id state }
  }`,
  recordPlayback: `mutation ($input: RecordPlaybackInput!) {
    recordPlayback(input: $input) { accepted duplicates rejected { kind index id reason code } }
  }`,
};
