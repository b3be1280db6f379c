import { describe, expect, it } from 'vitest';
import { GroupWriter } from './group-writer.js';

/** A write the test releases by hand: what each call got, and whether it should fail. */
function controlled(fails: (jobs: string[]) => boolean) {
  const calls: { key: string; jobs: string[]; release: () => void }[] = [];
  const write = (key: string, jobs: string[]) =>
    new Promise<void>((resolve, reject) => {
      calls.push({ key, jobs, release: () => (fails(jobs) ? reject(new Error(`failed: ${jobs.join()}`)) : resolve()) });
    });
  return { calls, write };
}
const tick = () => new Promise((r) => setImmediate(r));

describe(GroupWriter.name, () => {
  it('writes the jobs that arrive during a write together, in order, per key, within the weight bound', async () => {
    const { calls, write } = controlled(() => false);
    const groups: number[] = [];
    const w = new GroupWriter<string>(write, 10, 1, (n) => groups.push(n));
    const settled: string[] = [];
    const submit = (key: string, job: string, weight: number) =>
      w.submit(key, job, weight).then(() => void settled.push(job));
    const all = [submit('t1', 'a', 5)];
    await tick();
    all.push(submit('t1', 'b', 4), submit('t1', 'c', 4), submit('t1', 'd', 1), submit('t2', 'x', 1));
    await tick();
    // t1's first write holds a; t2 is independent of it.
    expect(calls.map((c) => [c.key, c.jobs])).toEqual([
      ['t1', ['a']],
      ['t2', ['x']],
    ]);
    calls[0]!.release();
    await tick();
    expect(settled).toEqual(['a']);
    // b + c = 8, + d = 9 ≤ 10: one group.
    expect(calls[2]).toMatchObject({ key: 't1', jobs: ['b', 'c', 'd'] });
    calls[2]!.release();
    calls[1]!.release();
    await Promise.all(all);
    expect(settled.sort()).toEqual(['a', 'b', 'c', 'd', 'x']);
    expect(groups).toEqual([1, 1, 3]);
  });

  it('runs up to `lanes` writes of one key at once, the jobs that arrive meanwhile in the next free lane', async () => {
    const { calls, write } = controlled(() => false);
    const w = new GroupWriter<string>(write, 100, 2);
    const all = [w.submit('t', 'a', 1)];
    await tick();
    all.push(w.submit('t', 'b', 1));
    await tick();
    all.push(w.submit('t', 'c', 1), w.submit('t', 'd', 1));
    await tick();
    expect(calls.map((c) => c.jobs)).toEqual([['a'], ['b']]);
    calls[1]!.release();
    await tick();
    expect(calls.map((c) => c.jobs)).toEqual([['a'], ['b'], ['c', 'd']]);
    calls[0]!.release();
    calls[2]!.release();
    await Promise.all(all);
    expect(calls).toHaveLength(3);
  });

  it('writes each job of a failed group again alone, so only the bad one fails', async () => {
    const { calls, write } = controlled((jobs) => jobs.includes('bad'));
    const w = new GroupWriter<string>(write, 100, 1);
    const first = w.submit('t', 'first', 1);
    await tick();
    const outcomes = ['ok1', 'bad', 'ok2'].map((j) =>
      w.submit('t', j, 1).then(
        () => `${j} written`,
        (err: Error) => `${j} ${err.message}`,
      ),
    );
    calls[0]!.release();
    await first;
    for (let i = 1; i <= 4; i++) {
      await tick();
      calls[i]!.release();
    }
    expect(await Promise.all(outcomes)).toEqual(['ok1 written', 'bad failed: bad', 'ok2 written']);
    expect(calls.map((c) => c.jobs)).toEqual([['first'], ['ok1', 'bad', 'ok2'], ['ok1'], ['bad'], ['ok2']]);
  });
});
