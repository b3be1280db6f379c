import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// The kit's edge entry: the main one (TypeORM, pg-boss, kafkajs, the AWS SDK) is imported only by a process that
// keeps data (createInfra below) or runs a subgraph or the worker (their modules import it).
import {
  ConfigError,
  configureSubgraphEdge,
  createEdgeInfra,
  generateGatewaySecret,
  subgraphEdgeFromEnv,
  createLogger,
  parseEnv,
  TokenVerifier,
  tokenLifetimesFromEnv,
  tokenVerifierEnvSchema,
  type Infra,
  type Logger,
} from '@phub/kit/edge';
import { platformEnvSchema, portsEnvSchema } from './env.js';
import { startOrder, TARGETS, type LoadedModule, type TargetModule, type TargetService } from './targets.js';

export type Target = string;

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
  services: TargetService[];
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
  const targets = new Set(options.targets);
  const modules = startOrder(targets);
  // Every setting of every module here is checked before anything starts: all problems in one message.
  const problems: string[] = [];
  const check = <T>(parse: () => T): T | undefined => {
    try {
      return parse();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(...err.problems);
      return undefined;
    }
  };
  const env = check(() => parseEnv(platformEnvSchema.extend(tokenVerifierEnvSchema.shape), source));
  const ports = check(() => parseEnv(portsEnvSchema, source));
  // Only the modules that run here are imported (a lone gateway loads no subgraph, nor TypeORM); one after the
  // other, so decorated classes register in the same order whatever the file system's timing.
  const loaded: (TargetModule & LoadedModule)[] = [];
  for (const module of modules) loaded.push({ ...module, ...(await module.load()) });
  for (const module of loaded) check(() => module.checkEnv?.(source));
  const standalone = TARGETS.some((t) => !targets.has(t));
  // The worker's jobs are durable in Postgres: an embedded PGlite of its own would run them on nobody's data.
  if (env && standalone && targets.has('worker') && !env.DATABASE_URL) {
    problems.push(
      `DATABASE_URL: required for --target=${[...targets].join(',')} (the worker runs its jobs on the Postgres the subgraphs share)`,
    );
  }
  // Partner rate limits are per client across every gateway replica: a gateway of its own shares them in Redis.
  if (env && standalone && targets.has('gateway') && !env.REDIS_URL) {
    problems.push(
      `REDIS_URL: required for --target=${[...targets].join(',')} (partner rate limits are shared by every gateway replica)`,
    );
  }
  if (!env || !ports || problems.length) throw new ConfigError(problems);
  const logger = options.logger ?? createLogger('phub', env.LOG_LEVEL);
  const subgraphsHere = modules.filter((m) => m.subgraph);
  // The worker serves no GraphQL: it verifies no tokens and takes no calls from the gateway, so a lone worker
  // needs neither AUTH_JWKS_URL nor SUBGRAPH_SHARED_SECRET. It does need Redis: its jobs publish to the
  // subgraphs' subscribers (playlist changes, alerts) and share their cache.
  const graphHere = targets.has('gateway') || subgraphsHere.length > 0;
  if (graphHere && !targets.has('auth') && !env.AUTH_JWKS_URL) {
    throw new ConfigError([
      `AUTH_JWKS_URL: required for --target=${[...targets].join(',')} without auth in the same process (where token signing keys are fetched)`,
    ]);
  }
  // The gateway is the only way in: every subgraph requires its secret. One process with both
  // generates it; split targets must share one (a fresh secret per pod would lock the gateway out).
  const edge = subgraphEdgeFromEnv(source);
  if (standalone && graphHere && !edge.gatewaySecret) {
    throw new ConfigError([
      `SUBGRAPH_SHARED_SECRET: required for --target=${[...targets].join(',')} (the same value on the gateway and every subgraph, at least 32 characters, e.g. openssl rand -hex 32)`,
    ]);
  }
  const gatewaySecret = edge.gatewaySecret ?? generateGatewaySecret();
  configureSubgraphEdge({ ...edge, gatewaySecret });
  // With the gateway in this process, subgraphs are reached by it alone: loopback only.
  const subgraphHost = standalone ? env.HOST : '127.0.0.1';
  // A lone gateway keeps no data: no embedded PGlite (about 250 MB), no bus, no pub/sub, not even their code.
  const storage = subgraphsHere.length > 0 || targets.has('worker');
  let infra: Infra;
  if (storage) {
    const { createInfra } = await import('@phub/kit');
    infra = await createInfra({
      env,
      logger,
      standalone,
      targets: [...targets],
      ephemeralDatabase: options.ephemeralDatabase,
      busRetry: { maxAttempts: env.BUS_MAX_ATTEMPTS, retryDelayMs: env.BUS_RETRY_DELAY_MS },
    });
  } else {
    infra = await createEdgeInfra({ env, logger });
  }
  const started: TargetService[] = [];
  const urls: Record<string, string> = {};
  const stop = async () => {
    for (const service of [...started].reverse()) {
      await service.stop().catch((err) => logger.error({ err, service: service.name }, 'error while stopping'));
    }
    await infra.close();
  };

  // In the same process as auth: its keys are read directly, no JWKS round trip.
  let verifier: TokenVerifier | undefined;
  const verifierHere = () =>
    (verifier ??= new TokenVerifier({
      issuer: env.AUTH_ISSUER,
      audience: env.AUTH_AUDIENCE,
      keys: env.AUTH_JWKS_URL!,
      cache: infra.cache,
      maxLifetimeSeconds: tokenLifetimesFromEnv(env),
    }));
  const staticApps = targets.has('gateway')
    ? existingApps({ '/player': 'web-player/dist', '/hq': 'web-hq/dist', '/retail': 'web-retail/dist' })
    : {};

  try {
    for (const module of loaded) {
      const service = module.create({
        infra,
        source,
        logger,
        port: ports[module.port.variable]!,
        subgraphHost,
        host: env.HOST,
        demoData: env.DEMO_DATA,
        verifier: verifierHere,
        urls: { ...urls },
        gatewaySecret,
        staticApps,
      });
      await service.start();
      started.push(service);
      if (service.url) urls[module.name] = service.url;
      verifier ??= service.verifier;
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { infra, services: started, urls, demoData: env.DEMO_DATA, stop };
}
