import type { Clock } from '@phub/kit';
import { registerEnumType } from 'type-graphql';

export enum CircuitState {
  /** Reads go through. */
  CLOSED = 'CLOSED',
  /** Too many failures in a row: reads fail fast until the open period ends. */
  OPEN = 'OPEN',
  /** The open period ended: one trial read decides between CLOSED and OPEN again. */
  HALF_OPEN = 'HALF_OPEN',
}
registerEnumType(CircuitState, { name: 'CircuitState', description: 'A source’s circuit breaker' });

export interface CircuitOptions {
  /** Consecutive failures that open the circuit. */
  failures: number;
  openMs: number;
}

/**
 * A circuit breaker of one AEM source: after `failures` failed reads in a row it fails fast for `openMs`, so a
 * down AEM costs no timeouts (the sync job, browsing) and is not hammered; then one trial read is let through.
 */
export class CircuitBreaker {
  private consecutive = 0;
  private openedAt: number | null = null;
  private trial = false;

  constructor(
    private readonly options: CircuitOptions,
    private readonly clock: Clock,
  ) {}

  get state(): CircuitState {
    if (this.openedAt === null) return CircuitState.CLOSED;
    return this.clock.now() - this.openedAt >= this.options.openMs ? CircuitState.HALF_OPEN : CircuitState.OPEN;
  }

  /** When the circuit will let a trial through, or null while closed. */
  get retryAt(): number | null {
    return this.openedAt === null ? null : this.openedAt + this.options.openMs;
  }

  /** Whether a read may be attempted now (in HALF_OPEN: only one at a time). */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === CircuitState.CLOSED) return true;
    if (state === CircuitState.OPEN || this.trial) return false;
    this.trial = true;
    return true;
  }

  succeeded(): void {
    this.consecutive = 0;
    this.openedAt = null;
    this.trial = false;
  }

  failed(): void {
    this.consecutive += 1;
    if (this.trial || this.consecutive >= this.options.failures) this.openedAt = this.clock.now();
    this.trial = false;
  }

  /** Released without an outcome (the read was about the path, not the source): a trial may be tried again. */
  released(): void {
    this.trial = false;
  }
}
