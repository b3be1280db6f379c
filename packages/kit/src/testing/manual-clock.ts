import type { Clock, Timer } from '../clock.js';

/** A clock that moves only when told, firing due timers in order: tests never wait on real time. */
export class ManualClock implements Clock {
  private timers: { due: number; seq: number; fn: () => void }[] = [];
  private seq = 0;

  constructor(private current: number = Date.now()) {}

  now(): number {
    return this.current;
  }

  setTimer(delayMs: number, fn: () => void): Timer {
    const timer = { due: this.current + Math.max(0, delayMs), seq: this.seq++, fn };
    this.timers.push(timer);
    // Already due (set while time jumped past it): fire soon, as setTimeout(fn, 0) would.
    if (delayMs <= 0) queueMicrotask(() => this.set(this.current));
    return { cancel: () => (this.timers = this.timers.filter((t) => t !== timer)) };
  }

  /** Moves time forward to `to` (epoch ms), firing every timer due on the way. */
  set(to: number): void {
    for (;;) {
      const next = this.timers.filter((t) => t.due <= to).sort((a, b) => a.due - b.due || a.seq - b.seq)[0];
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.current = Math.max(this.current, next.due);
      next.fn();
    }
    this.current = Math.max(this.current, to);
  }

  advance(ms: number): void {
    this.set(this.current + ms);
  }

  /** Due instants of pending timers, earliest first. */
  pending(): number[] {
    return this.timers.map((t) => t.due).sort((a, b) => a - b);
  }
}
