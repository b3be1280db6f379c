#!/usr/bin/env node
import { parseArgs } from 'node:util';
// The kit's edge entry: each module imports what it runs when it is started (see targets.ts).
import { ConfigError, createLogger, parseEnv, sharedEnvSchema } from '@phub/kit/edge';
import { parseTargets, startPlatform } from './platform.js';

/**
 * One binary, many targets: `--target=all` (default) runs the gateway and every
 * subgraph in this process; `--target=location` (or a comma list) runs just those.
 */
async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { target: { type: 'string', default: 'all' } },
    allowPositionals: true,
  });
  if (positionals[0] === 'rotate-master-key') return await rotateMasterKey();
  if (positionals.length) throw new ConfigError([`unknown command ${positionals[0]} (known: rotate-master-key)`]);
  const logger = createLogger('phub');
  const targets = parseTargets(values.target ?? 'all');
  const platform = await startPlatform({ targets, logger });

  const gateway = platform.urls.gateway?.replace('127.0.0.1', 'localhost');
  logger.info({ targets, urls: platform.urls }, 'platform ready');
  if (gateway) {
    const origin = gateway.replace(/\/graphql$/, '');
    console.warn(
      `\nPersonalisation Hub is running: ${gateway}\nHQ dashboard: ${origin}/hq/\nStore app: ${origin}/retail/\nDisplay player: ${origin}/player/\n`,
    );
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining in-flight requests');
    platform.stop().then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

/**
 * `phub rotate-master-key`: a new local master key in DATA_DIR, the old one kept as master.<id>.key so
 * nothing stops opening. Auth re-wraps data keys to the new key when it starts (and at each maintenance run).
 */
async function rotateMasterKey(): Promise<void> {
  if (process.env.KMS_KEY_ID) {
    throw new ConfigError([
      'KMS_KEY_ID is set: rotate by pointing KMS_KEY_ID to the new KMS key and restarting; keep the old key enabled until auth has re-wrapped',
    ]);
  }
  const { DATA_DIR } = parseEnv(sharedEnvSchema);
  const { rotateLocalMasterKey } = await import('@phub/kit');
  const { retired, current } = rotateLocalMasterKey(DATA_DIR);
  console.warn(
    `master key rotated: ${retired} → ${current} (${DATA_DIR}).\n` +
      'Restart phub: auth re-wraps its data keys with the new key on start; the retired key file stays until you delete it.',
  );
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
  } else {
    console.error('phub failed to start:', err);
  }
  process.exit(1);
});
