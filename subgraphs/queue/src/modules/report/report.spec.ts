import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OTHER_STORE, STORE_1, STORE_2, startQueue, type QueueHarness, type Who } from '../../testing/harness.js';
import { QueueReportService } from './report.service.js';

const REPORT = `query($f: QueueReportFilter!) {
  queueReport(filter: $f) {
    rows { day storeId lineId joined called served noShows cancelled cancelledByClerk
      waitP50Seconds waitP90Seconds serviceP50Seconds serviceP90Seconds servedPerHour { startsAt localTime utcOffset served } }
    totals { joined called served noShows cancelled cancelledByClerk waitP50Seconds waitP90Seconds serviceP50Seconds serviceP90Seconds
      servedPerHour { localTime utcOffset served } }
  }
}`;

interface Hour {
  startsAt?: string;
  localTime: string;
  utcOffset: string;
  served: number;
}
interface Row {
  day: string | null;
  storeId: string | null;
  lineId: string | null;
  joined: number;
  called: number;
  served: number;
  noShows: number;
  cancelled: number;
  cancelledByClerk: number;
  waitP50Seconds: number | null;
  waitP90Seconds: number | null;
  serviceP50Seconds: number | null;
  serviceP90Seconds: number | null;
  servedPerHour: Hour[];
}
type Report = { queueReport: { rows: Row[]; totals: Row } };

const MUTATION = {
  add: `mutation($l: ID!) { addTicket(input: { lineId: $l }) { id } }`,
  call: `mutation($id: ID!, $d: ID) { callTicket(id: $id, deskId: $d) { id } }`,
  served: `mutation($id: ID!) { markTicketServed(id: $id) { id } }`,
  noShow: `mutation($id: ID!) { markTicketNoShow(id: $id) { id } }`,
  cancel: `mutation($id: ID!) { cancelTicket(id: $id) { id } }`,
};

describe(QueueReportService.name, () => {
  let h: QueueHarness;
  let london: string;
  let newYork: string;
  let dstLine: string;

  /** Runs the step at its instant on the ManualClock. */
  const at = async <T>(iso: string, step: () => Promise<T>): Promise<T> => {
    h.clock.set(Date.parse(iso));
    return step();
  };
  const add = async (line: string) =>
    (await h.as<{ addTicket: { id: string } }>('hqAdmin', MUTATION.add, { l: line })).addTicket.id;
  const act = (kind: 'call' | 'served' | 'noShow' | 'cancel', id: string) => h.as('hqAdmin', MUTATION[kind], { id });
  const report = async (who: Who, f: Record<string, unknown>) => {
    const res = await h.gql<Report>(REPORT, { f: { groupBy: [], ...f } }, await h.token(who));
    return res;
  };

  beforeAll(async () => {
    h = await startQueue();
    london = await h.createLine(STORE_1, { prefix: 'A' });
    newYork = await h.createLine(STORE_2, { prefix: 'N' });
    dstLine = await h.createLine(STORE_1, { prefix: 'D' });

    // A simulated day, in order (the clock only moves forward). London is UTC+0 on 12 March 2030.
    const [a, b] = await at('2030-03-12T10:00:00Z', async () => [await add(london), await add(london)]);
    await at('2030-03-12T10:05:00Z', () => act('call', a!)); // wait 5 min
    const c = await at('2030-03-12T10:10:00Z', () => add(london));
    await at('2030-03-12T10:15:00Z', () => act('served', a!)); // service 10 min, 10:00 hour
    await at('2030-03-12T10:15:00Z', () => act('call', b!)); // wait 15 min
    const d = await at('2030-03-12T10:20:00Z', () => add(london));
    await at('2030-03-12T10:20:00Z', () => act('served', b!)); // service 5 min, 10:00 hour
    await at('2030-03-12T10:30:00Z', () => act('call', c)); // wait 20 min
    await at('2030-03-12T10:35:00Z', () => act('noShow', c));
    await at('2030-03-12T10:40:00Z', () => act('cancel', d)); // by the clerk
    const joined = await at('2030-03-12T11:10:00Z', () =>
      h.as<{ joinQueue: { token: string } }>(null, `mutation($l: ID!) { joinQueue(lineId: $l) { token } }`, {
        l: london,
      }),
    );
    await at('2030-03-12T11:20:00Z', () =>
      h.as(null, `mutation($t: String!) { cancelMyTicket(token: $t) { id } }`, { t: joined.joinQueue.token }),
    );
    const f = await at('2030-03-12T11:30:00Z', () => add(london));
    await at('2030-03-12T11:40:00Z', () => act('call', f)); // wait 10 min
    await at('2030-03-12T12:05:00Z', () => act('served', f)); // service 25 min, 12:00 hour

    // New York (UTC−4 since 10 March 2030): 10:00 local, and a visitor served just after local midnight.
    const g = await at('2030-03-12T14:00:00Z', () => add(newYork));
    await at('2030-03-12T14:02:00Z', () => act('call', g)); // wait 2 min
    await at('2030-03-12T14:12:00Z', () => act('served', g)); // service 10 min, 10:00 local
    const late = await at('2030-03-13T03:30:00Z', () => add(newYork)); // 23:30 on the 12th, local
    await at('2030-03-13T03:50:00Z', () => act('call', late)); // wait 20 min, still the 12th
    await at('2030-03-13T04:10:00Z', () => act('served', late)); // service 20 min, 00:10 on the 13th

    // London's DST days: 31 March 2030 has 23 hours (01:00 → 02:00 BST), 27 October 25 (01:00 twice).
    const spring = await at('2030-03-31T01:20:00Z', () => add(dstLine));
    await at('2030-03-31T01:25:00Z', () => act('call', spring));
    await at('2030-03-31T01:30:00Z', () => act('served', spring)); // 02:30 BST
    const autumn = await at('2030-10-27T01:20:00Z', () => add(dstLine));
    await at('2030-10-27T01:25:00Z', () => act('call', autumn));
    await at('2030-10-27T01:30:00Z', () => act('served', autumn)); // 01:30 GMT, the second 01:00 hour
  });
  afterAll(async () => h?.stop());

  it('counts a day in two zones per store and store-local day, with exact percentiles', async () => {
    const res = await report('hqViewer', { from: '2030-03-12', to: '2030-03-13', groupBy: ['STORE', 'DAY'] });
    expect(res.errors).toBeUndefined();
    const rows = res.data!.queueReport.rows.map(({ servedPerHour, ...r }) => ({
      ...r,
      hours: Object.fromEntries(servedPerHour.filter((x) => x.served).map((x) => [x.localTime, x.served])),
      hourCount: servedPerHour.length,
    }));
    expect(rows).toEqual([
      {
        day: '2030-03-12',
        storeId: STORE_1,
        lineId: null,
        joined: 6,
        called: 4,
        served: 3,
        noShows: 1,
        cancelled: 1,
        cancelledByClerk: 1,
        // waits 300, 600, 900, 1200 s; services 300, 600, 1500 s (percentile_cont: linear between samples)
        waitP50Seconds: 750,
        waitP90Seconds: 1110,
        serviceP50Seconds: 600,
        serviceP90Seconds: 1320,
        hours: { '10:00': 2, '12:00': 1 },
        hourCount: 24,
      },
      {
        day: '2030-03-12',
        storeId: STORE_2,
        lineId: null,
        joined: 2,
        called: 2,
        served: 1,
        noShows: 0,
        cancelled: 0,
        cancelledByClerk: 0,
        waitP50Seconds: 660, // 120 and 1200 s
        waitP90Seconds: 1092,
        serviceP50Seconds: 600,
        serviceP90Seconds: 600,
        hours: { '10:00': 1 },
        hourCount: 24,
      },
      {
        day: '2030-03-13',
        storeId: STORE_2,
        lineId: null,
        joined: 0,
        called: 0,
        served: 1,
        noShows: 0,
        cancelled: 0,
        cancelledByClerk: 0,
        waitP50Seconds: null,
        waitP90Seconds: null,
        serviceP50Seconds: 1200,
        serviceP90Seconds: 1200,
        hours: { '00:00': 1 },
        hourCount: 24,
      },
    ]);
    expect(res.data!.queueReport.totals).toMatchObject({
      joined: 8,
      called: 6,
      served: 5,
      noShows: 1,
      cancelled: 1,
      cancelledByClerk: 1,
      waitP50Seconds: 750, // 120, 300, 600, 900, 1200, 1200
      waitP90Seconds: 1200,
      serviceP50Seconds: 600, // 300, 600, 600, 1200, 1500
      serviceP90Seconds: 1380,
      servedPerHour: [], // two stores: no one day to lay hours on
    });
  });

  it('groups by line and filters by store', async () => {
    const res = await report('hqAdmin', { from: '2030-03-01', to: '2030-05-31', storeId: STORE_1, groupBy: ['LINE'] });
    expect(res.data!.queueReport.rows.map((r) => [r.lineId, r.storeId, r.joined, r.served])).toEqual(
      [
        [london, STORE_1, 6, 3],
        [dstLine, STORE_1, 1, 1],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
    expect(res.data!.queueReport.totals).toMatchObject({ joined: 7, served: 4 });
  });

  it.each([
    ['2030-03-31', 23, { localTime: '02:00', utcOffset: '+01:00' }],
    ['2030-10-27', 25, { localTime: '01:00', utcOffset: '+00:00' }],
  ])('lays %s out in its %d store-local hours', async (day, count, busy) => {
    const res = await report('manager', { from: day, to: day, lineId: dstLine });
    const hours = res.data!.queueReport.totals.servedPerHour;
    expect(hours).toHaveLength(count);
    expect(hours.filter((x) => x.served)).toEqual([{ ...busy, served: 1 }]);
    expect(res.data!.queueReport.rows[0]!.servedPerHour.map((x) => x.startsAt)).toEqual(
      Array.from({ length: count }, (_, i) =>
        new Date(Date.parse(`${day}T00:00:00Z`) - (day === '2030-10-27' ? 3_600_000 : 0) + i * 3_600_000).toISOString(),
      ),
    );
    if (count === 25)
      expect(hours.filter((x) => x.localTime === '01:00').map((x) => x.utcOffset)).toEqual(['+01:00', '+00:00']);
  });

  describe('who may read it', () => {
    const MARCH = { from: '2030-03-01', to: '2030-03-31' };
    it.each<[Who | 'anonymous', string | number]>([
      ['hqAdmin', 9],
      ['hqEditor', 9],
      ['hqViewer', 9],
      ['manager', 7], // their store only
      ['partnerRead', 9],
      ['partnerWrite', 9],
      ['staff', 'FORBIDDEN'],
      ['staffStore2', 'FORBIDDEN'],
      ['device', 'FORBIDDEN'],
      ['partnerNoScope', 'FORBIDDEN'],
      ['anonymous', 'UNAUTHENTICATED'],
      ['otherAdmin', 0], // another tenant: nothing of ours
      ['otherManager', 0],
    ])('%s → %s', async (who, expected) => {
      const res =
        who === 'anonymous' ? await h.gql<Report>(REPORT, { f: { ...MARCH, groupBy: [] } }) : await report(who, MARCH);
      if (typeof expected === 'string') expect(res.errors?.[0]?.extensions?.code).toBe(expected);
      else expect(res.data?.queueReport.totals.joined).toBe(expected);
    });

    it('refuses a store manager another store’s report', async () => {
      const res = await report('manager', { ...MARCH, storeId: STORE_2 });
      expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const other = await report('otherManager', { ...MARCH, storeId: STORE_1 });
      expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const own = await report('otherManager', { ...MARCH, storeId: OTHER_STORE });
      expect(own.data?.queueReport.totals.joined).toBe(0);
    });
  });

  it.each([
    [{ from: '2030-03-12', to: '2030-03-11' }, 'RANGE_INVERTED'],
    [{ from: '2030-01-01', to: '2031-01-02' }, 'RANGE_TOO_LONG'],
    [{ from: '2030-02-30', to: '2030-03-01' }, 'INVALID_DAY'],
    [{ from: '12/03/2030', to: '2030-03-13' }, 'INVALID_DAY'],
    [{ from: '2030-03-01', to: '2030-03-02', lineId: 'nope' }, 'INVALID_ID'],
  ])('refuses %j with BAD_USER_INPUT (%s)', async (f, reason) => {
    const res = await report('hqAdmin', f);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason });
  });

  it('92 days are allowed (QUEUE_REPORT_MAX_DAYS), rows without totals when none are asked for', async () => {
    const res = await report('hqAdmin', { from: '2030-03-01', to: '2030-05-31', groupBy: ['DAY'] });
    expect(res.errors).toBeUndefined();
    expect(res.data!.queueReport.rows.map((r) => r.day)).toEqual(['2030-03-12', '2030-03-13', '2030-03-31']);
    // Days of stores in different zones: no single day's hours.
    expect(res.data!.queueReport.rows[0]!.servedPerHour).toEqual([]);
    const rowsOnly = await h.gql<{ queueReport: { rows: { day: string; waitP50Seconds: number | null }[] } }>(
      `query($f: QueueReportFilter!) { queueReport(filter: $f) { rows { day waitP50Seconds } } }`,
      { f: { from: '2030-03-01', to: '2030-05-31', groupBy: ['DAY'] } },
      await h.token('hqAdmin'),
    );
    expect(rowsOnly.data!.queueReport.rows).toEqual(
      res.data!.queueReport.rows.map((r) => ({ day: r.day, waitP50Seconds: r.waitP50Seconds })),
    );
    const tooLong = await report('hqAdmin', { from: '2030-03-01', to: '2030-06-01' });
    expect(tooLong.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'RANGE_TOO_LONG',
      maxDays: 92,
    });
  });
});
