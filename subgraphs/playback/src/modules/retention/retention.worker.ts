import { openDatabase, systemClock, type Clock, type JobSource, type SubgraphDefinition } from '@phub/kit';
import { loadPlaybackEnv } from '../../env.js';
import { playbackRetentionJob } from './retention.job.js';
import { PlaybackRetention } from './retention.service.js';

type Storage = Pick<SubgraphDefinition<unknown, unknown, unknown>, 'schema' | 'entities' | 'migrations'>;

/**
 * Playback's jobs as the worker runs them: on playback's own schema (migrated under the same lock as the
 * subgraph's, so a worker pod may start first), with playback's settings.
 */
export function playbackJobSource(storage: Storage, options: { clock?: Clock } = {}): JobSource {
  return {
    name: 'playback',
    async open({ infra, logger, source }) {
      const env = loadPlaybackEnv(source);
      const log = logger.child({ domain: 'playback' });
      const dataSource = await openDatabase({
        url: infra.databaseUrl,
        schema: storage.schema,
        entities: storage.entities,
        migrations: storage.migrations,
        logger: log,
        // Jobs run one at a time per queue: a small pool leaves the connections to the subgraphs.
        poolSize: 2,
      });
      const retention = new PlaybackRetention(dataSource, options.clock ?? systemClock, log, {
        rawRetentionDays: env.PLAYBACK_RAW_RETENTION_DAYS,
      });
      return { jobs: [playbackRetentionJob(retention)], close: () => dataSource.destroy() };
    },
  };
}
