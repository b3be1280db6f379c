import {
  type Clock,
  Envelope,
  type JobSource,
  KmsMasterKey,
  LocalMasterKey,
  openDatabase,
  type SubgraphDefinition,
  systemClock,
} from '@phub/kit';
import { loadQueueEnv } from '../../env.js';
import { PersonalData } from '../../personal-data.js';
import type { SmsTransport } from '../sms/sms.transport.js';
import { queueSmsJob, queueWebhooksJob } from './delivery.job.js';
import { createDeliveryServices } from './delivery.services.js';

type Storage = Pick<SubgraphDefinition<unknown, unknown, unknown>, 'schema' | 'entities' | 'migrations'>;

/** Test seams: time, the master key, and where SMS go. */
export interface QueueJobOptions {
  clock?: Clock;
  envelope?: Envelope;
  transport?: SmsTransport;
}

/**
 * The queue's jobs as the worker runs them (SMS and webhook sending), on the queue's own schema and with its
 * settings; phone numbers and webhook secrets are opened with the same sealed data key as the subgraph's.
 */
export function queueJobSource(storage: Storage, options: QueueJobOptions = {}): JobSource {
  return {
    name: 'queue',
    async open({ infra, logger, source }) {
      const env = loadQueueEnv(source);
      const log = logger.child({ domain: 'queue' });
      const dataSource = await openDatabase({
        url: infra.databaseUrl,
        schema: storage.schema,
        entities: storage.entities,
        migrations: storage.migrations,
        logger: log,
        poolSize: 2,
      });
      try {
        const envelope =
          options.envelope ??
          new Envelope(
            env.KMS_KEY_ID ? new KmsMasterKey(env.KMS_KEY_ID) : LocalMasterKey.loadOrCreate(infra.env.DATA_DIR),
          );
        const personal = await PersonalData.open(dataSource, envelope);
        const { sms, webhooks } = createDeliveryServices(
          dataSource,
          options.clock ?? systemClock,
          personal,
          env,
          log,
          options.transport,
        );
        return { jobs: [queueSmsJob(sms), queueWebhooksJob(webhooks)], close: () => dataSource.destroy() };
      } catch (err) {
        await dataSource.destroy();
        throw err;
      }
    },
  };
}
