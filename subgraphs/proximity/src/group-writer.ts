/**
 * Group commit per key (a tenant): jobs submitted while the key's writes run are written together, in one `write`
 * call (one transaction), in the order they came — as if one after the other — instead of each in a transaction of
 * its own queueing on the same hot rows. At most `lanes` writes of a key run at once (the next group's first
 * statements overlap the previous one's end). Each job's promise settles only when its group's write has (a 2xx
 * only after the commit). When a group fails, each of its jobs is written again alone, so one bad job (or a
 * deadlock between lanes) fails only its own message, if any.
 */
export class GroupWriter<J> {
  private readonly queues = new Map<string, { pending: Pending<J>[]; lanes: number }>();

  constructor(
    private readonly write: (key: string, jobs: J[]) => Promise<void>,
    /** Most total weight (events) of one group; a single heavier job is written alone. */
    private readonly maxWeight: number,
    private readonly lanes: number,
    private readonly onGroup: (jobs: number) => void = () => {},
    /** A group's write failed (each of its jobs is then written alone). */
    private readonly onGroupFailed: (err: unknown, jobs: number) => void = () => {},
  ) {}

  submit(key: string, job: J, weight: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let queue = this.queues.get(key);
      if (!queue) this.queues.set(key, (queue = { pending: [], lanes: 0 }));
      queue.pending.push({ job, weight, resolve, reject });
      if (queue.lanes < this.lanes) {
        queue.lanes++;
        void this.drain(key, queue);
      }
    });
  }

  private async drain(key: string, queue: { pending: Pending<J>[]; lanes: number }) {
    const pending = queue.pending;
    while (pending.length) {
      let weight = pending[0]!.weight;
      let n = 1;
      while (n < pending.length && weight + pending[n]!.weight <= this.maxWeight) weight += pending[n++]!.weight;
      const group = pending.splice(0, n);
      this.onGroup(group.length);
      try {
        await this.write(
          key,
          group.map((g) => g.job),
        );
        for (const g of group) g.resolve();
      } catch (err) {
        if (group.length === 1) group[0]!.reject(err);
        else {
          this.onGroupFailed(err, group.length);
          for (const g of group) {
            try {
              await this.write(key, [g.job]);
              g.resolve();
            } catch (alone) {
              g.reject(alone);
            }
          }
        }
      }
    }
    if (--queue.lanes === 0) this.queues.delete(key);
  }
}

interface Pending<J> {
  job: J;
  weight: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}
