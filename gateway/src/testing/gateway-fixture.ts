import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGatewayService, type CreateGatewayOptions, type GatewayService } from '../index.js';
import { PUBLIC_SUPERGRAPH_FILE } from '../public-contract.js';

/** For `vi.waitFor`: generous, since CI machines can be slow; polling returns as soon as the condition holds. */
export const POLL = { timeout: 10_000, interval: 20 };

/** A supergraph file in its own temp folder, as the gateway watches the folder. */
export class SupergraphFixture {
  private constructor(
    readonly dir: string,
    readonly path: string,
  ) {}

  /** With `publicSdl`, the partners' contract is written beside it, where the gateway looks for it. */
  static async create(sdl: string, publicSdl?: string): Promise<SupergraphFixture> {
    const dir = await mkdtemp(join(tmpdir(), 'phub-gateway-'));
    const fixture = new SupergraphFixture(dir, join(dir, 'supergraph.graphql'));
    await fixture.write(sdl);
    if (publicSdl !== undefined) await writeFile(join(dir, PUBLIC_SUPERGRAPH_FILE), publicSdl);
    return fixture;
  }

  /** Writes in place, as a careless editor would (truncate, then write). */
  write(sdl: string): Promise<void> {
    return writeFile(this.path, sdl);
  }

  remove(): Promise<void> {
    return rm(this.dir, { recursive: true, force: true });
  }
}

/** A gateway on a free loopback port with quiet logs; `env` adds to the defaults. */
export async function startGateway(
  supergraphPath: string,
  env: NodeJS.ProcessEnv = {},
  options: Omit<CreateGatewayOptions, 'env'> = {},
): Promise<GatewayService> {
  const gateway = createGatewayService({
    env: { NODE_ENV: 'test', LOG_LEVEL: 'silent', SUPERGRAPH_PATH: supergraphPath, ...env },
    port: 0,
    host: '127.0.0.1',
    ...options,
  });
  await gateway.start();
  return gateway;
}

export interface GraphQLResponse {
  status: number;
  headers: Headers;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
}

/** POSTs one operation the way a browser or client library does. */
export async function postGraphQL(
  url: string,
  query: string,
  options: { headers?: Record<string, string>; variables?: Record<string, unknown> } = {},
): Promise<GraphQLResponse> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: JSON.stringify({ query, variables: options.variables }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as GraphQLResponse['body'] };
}

/** Error codes of a response, in order, for compact assertions. */
export const codes = (res: GraphQLResponse) => (res.body.errors ?? []).map((e) => e.extensions?.code);

/** Lines of `/metrics` for one metric whose labels include all of `labels`. */
export async function metricLines(gatewayUrl: string, name: string, labels: Record<string, string>): Promise<string[]> {
  const text = await (await fetch(gatewayUrl.replace(/\/graphql$/, '/metrics'))).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`))
    .filter((line) => Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)));
}

/** The sum of one metric's samples whose labels include all of `labels` (0 when there are none). */
export async function metricValue(
  gatewayUrl: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const lines = await metricLines(gatewayUrl, name, labels);
  return lines.reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}
