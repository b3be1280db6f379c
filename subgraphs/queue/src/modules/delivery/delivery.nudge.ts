import { DEFAULT_JOBS_SCHEMA, type Logger } from '@phub/kit';
import PgBoss from 'pg-boss';
import type { DataSource } from 'typeorm';
import type { Pending } from '../ticket/ticket.events.js';
import { QUEUE_SMS_JOB, QUEUE_WEBHOOKS_JOB } from './delivery.job.js';

/**
 * Asks the worker to run the SMS or webhook job now, rather than at its next minute. Best effort and after
 * commit: the messages are already durable rows, and the job's schedule picks up whatever a lost nudge
 * leaves. Both jobs are singletons, so a burst of nudges queues one run each; before the worker has declared
 * the jobs, pg-boss inserts nothing.
 */
export class JobNudge {
  private readonly boss: PgBoss;

  constructor(
    dataSource: DataSource,
    private readonly logger: Logger,
    schema = DEFAULT_JOBS_SCHEMA,
  ) {
    this.boss = new PgBoss({
      schema,
      db: { executeSql: async (text, values) => ({ rows: (await dataSource.query(text, values)) as unknown[] }) },
    });
  }

  nudge(pending: Pending): void {
    if (pending.sms) this.send(QUEUE_SMS_JOB);
    if (pending.webhooks) this.send(QUEUE_WEBHOOKS_JOB);
  }

  private send(name: string): void {
    this.boss.send(name, {}).catch((err: unknown) => this.logger.debug({ err, job: name }, 'job nudge not sent'));
  }
}
