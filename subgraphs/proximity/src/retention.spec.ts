import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROXIMITY_RETENTION_JOB } from './retention.job.js';
import { startProximity, zoneEvent, type ProximityHarness } from './testing/harness.js';

describe(PROXIMITY_RETENTION_JOB, () => {
  let h: ProximityHarness;

  beforeAll(async () => {
    h = await startProximity({ PROXIMITY_EVENT_RETENTION_DAYS: '30' });
    await h.configure();
  });
  afterAll(() => h?.stop());

  it('deletes raw events received before PROXIMITY_EVENT_RETENTION_DAYS and keeps the hourly footfall and dwell', async () => {
    const at = 1_780_010_000;
    const events = (mac: string, t: number) => [
      zoneEvent({ mac, timestamp: t }),
      zoneEvent({ mac, timestamp: t + 60, trigger: 'exit' }),
    ];
    const old = await h.post({
      topic: 'zone',
      events: [...events('0000000000f1', at), zoneEvent({ mac: '0000000000f3', timestamp: at })],
    });
    expect(old.body).toMatchObject({ stored: 3 });
    // Received 31 days ago (the job counts from when an event arrived, not from Mist's timestamp).
    await h.db.query(`UPDATE "proximity"."proximity_event" SET "received_at" = now() - interval '31 days'`);
    await h.db.query(`UPDATE "proximity"."zone_presence" SET "entered_at" = now() - interval '31 days'`);
    const recent = await h.post({ topic: 'zone', events: events('0000000000f2', at + 600) });
    expect(recent.body).toMatchObject({ stored: 2 });
    const hours = async () =>
      (
        await h.db.query(
          `SELECT "zone_id", "hour", "enters", "exits", "dwells", "dwell_seconds" FROM "proximity"."zone_hour" ORDER BY 1, 2`,
        )
      ).rows;
    const before = await hours();
    expect(before.reduce((n, r: { enters: number }) => n + r.enters, 0)).toBe(3);

    await h.runJob(PROXIMITY_RETENTION_JOB);

    const left = (await h.db.query(`SELECT "at" FROM "proximity"."proximity_event" ORDER BY "at"`)).rows;
    expect(left.map((r: { at: Date }) => r.at.getTime() / 1000)).toEqual([at + 600, at + 660]);
    // The device that never left (f3) no longer lingers in the zone; reports keep their counts.
    expect((await h.db.query(`SELECT count(*)::int AS n FROM "proximity"."zone_presence"`)).rows[0]).toEqual({ n: 0 });
    expect(await hours()).toEqual(before);
    // Run again: nothing more to delete.
    await h.runJob(PROXIMITY_RETENTION_JOB);
    expect((await h.db.query(`SELECT count(*)::int AS n FROM "proximity"."proximity_event"`)).rows[0]).toEqual({
      n: 2,
    });
  });
});
