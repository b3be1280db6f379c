import type { Infra } from '../infra.js';
import type { JobDefinition, JobSendOptions } from '../jobs/job.js';
import type { JobSource } from '../jobs/worker.js';
import type { Logger } from '../logger.js';

/** A job a handler under test enqueued (nothing runs it until the test does). */
export interface SentJob {
  name: string;
  data: object;
  options: JobSendOptions;
}

/**
 * A domain's job source opened as the worker opens it, with sends recorded instead of queued, so a test runs
 * each handler itself at the moment its ManualClock says (pg-boss decides due times by the database's clock).
 * The runner's own behaviour (durability, once across workers, retries) is tested in the kit.
 */
export async function openJobSource(
  source: JobSource,
  ctx: { infra: Infra; logger: Logger; source?: NodeJS.ProcessEnv },
) {
  const sent: SentJob[] = [];
  const opened = await source.open({
    infra: ctx.infra,
    logger: ctx.logger,
    source: ctx.source ?? {},
    send: async (name, data = {}, options = {}) => {
      sent.push({ name, data, options });
      return `sent-${sent.length}`;
    },
  });
  const job = (name: string): JobDefinition => {
    const found = opened.jobs.find((j) => j.name === name);
    if (!found) throw new Error(`${source.name} declares no job ${name}`);
    return found;
  };
  return {
    jobs: opened.jobs,
    sent,
    job,
    /** Runs a job's handler once, as a worker would (first attempt). */
    async run(name: string, data: object = {}): Promise<void> {
      await job(name).run({
        id: `test-${name}`,
        data,
        attempt: 1,
        signal: new AbortController().signal,
        logger: ctx.logger,
      });
    },
    /** Takes the recorded sends of one job out of `sent` (oldest first). */
    take(name: string): SentJob[] {
      const taken = sent.filter((s) => s.name === name);
      sent.splice(0, sent.length, ...sent.filter((s) => s.name !== name));
      return taken;
    },
    started: () => opened.started?.() ?? Promise.resolve(),
    close: () => opened.close(),
  };
}
