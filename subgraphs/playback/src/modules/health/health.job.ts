import { defineJob, type JobDefinition } from '@phub/kit';
import type { AlertService } from '../alert/alert.service.js';

export const PLAYBACK_HEALTH_SWEEP_JOB = 'playback.health-sweep';

/**
 * The display health sweep: every display's status and alerts, every `everySeconds` (15 by default) across
 * every replica together. Cron has minute precision, so the cadence is a chain: each run enqueues the next
 * `everySeconds` later (a row in Postgres, so it survives restarts and runs on one worker), and the
 * per-minute schedule restarts the chain if a worker died between a run and its follow-up (a singleton:
 * while a run waits, the tick adds nothing). No retries: the next link is the retry.
 * Written batches still re-evaluate their own display at once in the subgraph; the sweep catches what
 * only time changes (a display that went quiet).
 */
export function playbackHealthSweepJob(alerts: AlertService, everySeconds: number): JobDefinition {
  return defineJob({
    name: PLAYBACK_HEALTH_SWEEP_JOB,
    schedule: { cron: '* * * * *', timeZone: 'UTC' },
    singleton: true,
    repeatSeconds: everySeconds,
    timeoutSeconds: 300,
    run: () => alerts.sweep(),
  });
}
