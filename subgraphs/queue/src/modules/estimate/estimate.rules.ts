/** What the estimate of one line reads (see README.md in this folder for the method). */
export interface LineLoad {
  /** Service times (called → served, ms) of the line's most recent served tickets, newest first. */
  recentServiceMs: number[];
  /** Assumed before the line has served anyone. */
  defaultServiceMs: number;
  /** Desks serving the line with someone signed in. */
  staffedDesks: number;
  /** Tickets of the line being served right now (CALLED). */
  busy: number;
}

/** Samples the average uses: enough to follow a change of pace within the hour, few enough to react. */
export const SERVICE_SAMPLES = 20;
// Below this many samples the default is blended in, so one quick first visitor does not promise zero waits.
const MIN_SAMPLES = 3;

/** The mean recent service time, shrunk towards the default while there are few samples. */
export function serviceTimeMs(load: Pick<LineLoad, 'recentServiceMs' | 'defaultServiceMs'>): number {
  const samples = load.recentServiceMs.slice(0, SERVICE_SAMPLES);
  const missing = Math.max(0, MIN_SAMPLES - samples.length);
  const sum = samples.reduce((a, b) => a + b, 0) + missing * load.defaultServiceMs;
  return sum / (samples.length + missing);
}

/**
 * Expected wait (ms) of a ticket with `ahead` waiting tickets before it: desks free up every
 * `service / desks` on average, and the first busy desk is half-way through its visitor.
 */
export function estimateWaitMs(load: LineLoad, ahead: number): number {
  const desks = Math.max(1, load.staffedDesks, load.busy);
  const idle = Math.max(0, desks - load.busy);
  if (ahead < idle) return 0;
  return (serviceTimeMs(load) * (ahead - idle + 0.5)) / desks;
}
