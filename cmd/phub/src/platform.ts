import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ConfigError,
  configureSubgraphEdge,
  createInfra,
  generateGatewaySecret,
  subgraphEdgeFromEnv,
  createLogger,
  parseEnv,
  TokenVerifier,
  tokenLifetimesFromEnv,
  tokenVerifierEnvSchema,
  type Infra,
  type Logger,
  type Service,
} from '@phub/kit';
import { createAuthService } from '@phub/auth';
import { createCampaignService } from '@phub/campaign';
import { createGatewayService } from '@phub/gateway';
import { createLocationService } from '@phub/location';
import { createPlaybackService } from '@phub/playback';
import { createQueueService } from '@phub/queue';
import { platformEnvSchema } from './env.js';
import { TARGETS } from './targets.js';

export type Target = (typeof TARGETS)[number];

export interface PlatformOptions {
  /** Which services run in this process; every one of them means `--target=all`. */
  targets: readonly Target[];
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Keep embedded Postgres in memory instead of under DATA_DIR (tests). */
  ephemeralDatabase?: boolean;
}

export interface Platform {
  infra: Infra;
  services: Service[];
  /** GraphQL URL of each started service, by name */
  urls: Record<string, string>;
  /** Whether the demo tenant is created (DEMO_DATA, false by default in production). */
  demoData: boolean;
  stop(): Promise<void>;
}

/** The built web apps that exist (a checkout that has not built them serves none). */
function existingApps(apps: Record<string, string>): Record<string, string> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
  return Object.fromEntries(
    Object.entries(apps)
      .map(([prefix, dir]) => [prefix, path.join(root, dir)] as const)
      .filter(([, dir]) => existsSync(path.join(dir, 'index.html'))),
  );
}

export function parseTargets(value: string): Target[] {
  const names = value
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (names.includes('all')) return [...TARGETS];
  const unknown = names.filter((n) => !(TARGETS as readonly string[]).includes(n));
  if (unknown.length || !names.length) {
    throw new ConfigError([
      `--target: unknown ${unknown.join(', ') || '(empty)'}; use all or any of ${TARGETS.join(', ')}`,
    ]);
  }
  return names as Target[];
}

/** Starts the chosen services in dependency order; stops them in reverse on failure or stop(). */
export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const source = options.env ?? process.env;
  const env = parseEnv(platformEnvSchema.extend(tokenVerifierEnvSchema.shape), source);
  const logger = options.logger ?? createLogger('phub', env.LOG_LEVEL);
  const targets = new Set(options.targets);
  const standalone = TARGETS.some((t) => !targets.has(t));
  const subgraphsHere = [...targets].filter((t) => t !== 'gateway');
  if (!targets.has('auth') && !env.AUTH_JWKS_URL) {
    throw new ConfigError([
      `AUTH_JWKS_URL: required for --target=${[...targets].join(',')} without auth in the same process (where token signing keys are fetched)`,
    ]);
  }
  // The gateway is the only way in: every subgraph requires its secret. One process with both
  // generates it; split targets must share one (a fresh secret per pod would lock the gateway out).
  const edge = subgraphEdgeFromEnv(source);
  if (standalone && !edge.gatewaySecret) {
    throw new ConfigError([
      `SUBGRAPH_SHARED_SECRET: required for --target=${[...targets].join(',')} (the same value on the gateway and every subgraph, at least 32 characters, e.g. openssl rand -hex 32)`,
    ]);
  }
  const gatewaySecret = edge.gatewaySecret ?? generateGatewaySecret();
  configureSubgraphEdge({ ...edge, gatewaySecret });
  // With the gateway in this process, subgraphs are reached by it alone: loopback only.
  const subgraphHost = standalone ? env.HOST : '127.0.0.1';
  const infra = await createInfra({
    env,
    logger,
    standalone: standalone && subgraphsHere.length > 0,
    targets: [...targets],
    ephemeralDatabase: options.ephemeralDatabase,
    busRetry: { maxAttempts: env.BUS_MAX_ATTEMPTS, retryDelayMs: env.BUS_RETRY_DELAY_MS },
  });
  const started: Service[] = [];
  const urls: Record<string, string> = {};
  const stop = async () => {
    for (const service of [...started].reverse()) {
      await service.stop().catch((err) => logger.error({ err, service: service.name }, 'error while stopping'));
    }
    await infra.close();
  };

  try {
    const host = subgraphHost;
    let verifier: TokenVerifier;
    if (targets.has('auth')) {
      const auth = createAuthService(infra, { port: env.AUTH_PORT, host, demoData: env.DEMO_DATA });
      await auth.start();
      started.push(auth);
      urls.auth = auth.url;
      // In the same process as auth: read its keys directly, no JWKS round trip.
      verifier = auth.verifier;
    } else {
      verifier = new TokenVerifier({
        issuer: env.AUTH_ISSUER,
        audience: env.AUTH_AUDIENCE,
        keys: env.AUTH_JWKS_URL!,
        cache: infra.cache,
        maxLifetimeSeconds: tokenLifetimesFromEnv(env),
      });
    }
    if (targets.has('location')) {
      const location = createLocationService(infra, {
        port: env.LOCATION_PORT,
        host,
        demoData: env.DEMO_DATA,
        verifier,
      });
      await location.start();
      started.push(location);
      urls.location = location.url;
    }
    if (targets.has('campaign')) {
      const campaign = createCampaignService(infra, {
        port: env.CAMPAIGN_PORT,
        host,
        demoData: env.DEMO_DATA,
        verifier,
      });
      await campaign.start();
      started.push(campaign);
      urls.campaign = campaign.url;
    }
    if (targets.has('playback')) {
      const playback = createPlaybackService(infra, { port: env.PLAYBACK_PORT, host, verifier });
      await playback.start();
      started.push(playback);
      urls.playback = playback.url;
    }
    if (targets.has('queue')) {
      const queue = createQueueService(infra, { port: env.QUEUE_PORT, host, verifier });
      await queue.start();
      started.push(queue);
      urls.queue = queue.url;
    }
    if (targets.has('gateway')) {
      // Subgraphs in this process are reached on their actual ports; others by the supergraph or SUBGRAPH_*_URL.
      const gateway = createGatewayService({
        env: source,
        logger: logger.child({ service: 'gateway' }),
        subgraphUrls: { ...urls },
        port: env.PORT,
        host: env.HOST,
        verifier,
        subgraphSecret: gatewaySecret,
        staticApps: existingApps({ '/player': 'web-player/dist', '/hq': 'web-hq/dist' }),
      });
      await gateway.start();
      started.push(gateway);
      urls.gateway = gateway.url!;
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { infra, services: started, urls, demoData: env.DEMO_DATA, stop };
}
