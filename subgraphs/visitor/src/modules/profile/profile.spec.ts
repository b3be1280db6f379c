import { randomBytes, randomUUID } from 'node:crypto';
import { presenceDeviceSegmentsEventV1, presenceMomentEventV1 } from '@phub/contracts';
import { waitFor } from '@phub/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_1, STORE_2, startVisitor, type VisitorHarness } from '../../testing/harness.js';
import { ProfileService } from './profile.service.js';

let h: VisitorHarness;
/** presence.moment.v1 as campaigns receive it. */
const moments: { key: string; payload: unknown }[] = [];
/** presence.device-segments.v1 as proximity receives it. */
const devices: { key: string; payload: unknown }[] = [];
let listening: { close(): Promise<void> } | undefined;
let listeningDevices: { close(): Promise<void> } | undefined;
beforeAll(async () => {
  h = await startVisitor({ VISITOR_MOMENT_SECONDS: '90' });
  listening = await h.infra.bus.subscribe({
    groupId: 'campaign-stand-in',
    topics: ['presence.moment.v1'],
    fromBeginning: true,
    handler: async (m) => void moments.push({ key: m.key, payload: m.value }),
  });
  listeningDevices = await h.infra.bus.subscribe({
    groupId: 'proximity-stand-in',
    topics: ['presence.device-segments.v1'],
    fromBeginning: true,
    handler: async (m) => void devices.push({ key: m.key, payload: m.value }),
  });
});
afterAll(async () => {
  await listening?.close();
  await listeningDevices?.close();
  await h?.stop();
});

const unique = () => randomUUID().slice(0, 8);
const phoneOf = () => `+4477009${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;
const VISITOR = `query($id: ID!) {
  visitor(id: $id) { id visitCount erasedAt name identifiers { kind value } attributes { name value } notes { text }
    consents { purpose granted source } consentHistory { purpose granted source } segments { key } }
}`;
interface VisitorView {
  id: string;
  visitCount: number;
  erasedAt: string | null;
  name: string | null;
  identifiers: { kind: string; value: string }[];
  attributes: { name: string; value: string }[];
  notes: { text: string }[];
  consents: { purpose: string; granted: boolean; source: string }[];
  consentHistory: { purpose: string; granted: boolean; source: string }[];
  segments: { key: string }[];
}
const open = async (id: string) => (await h.as<{ visitor: VisitorView }>('hqAdmin', VISITOR, { id })).visitor;
const REPORT = `{ visitorReport { profiles erasedProfiles checkIns visitors stores { storeId checkIns visitors } } }`;

describe(ProfileService.name, () => {
  it('merges two profiles when one check-in brings identifiers of both: identifiers, visits and consents join', async () => {
    const phone = phoneOf();
    const loyalty = `L-${unique()}`;
    const a = await h.checkIn({
      identifiers: [{ kind: 'PHONE', value: phone }],
      name: 'Mia Merge',
      consents: [{ purpose: 'SMS', granted: true }],
    });
    h.clock.advance(1000);
    const b = await h.checkIn({
      identifiers: [{ kind: 'LOYALTY_ID', value: loyalty }],
      attributes: [{ name: 'tier', value: 'gold' }],
    });
    expect(b.visitorId).not.toBe(a.visitorId);
    // The phone written another way is the same identifier.
    const both = await h.checkIn({
      identifiers: [
        { kind: 'PHONE', value: `${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}` },
        { kind: 'LOYALTY_ID', value: loyalty },
      ],
    });
    expect(both.visitorId).toBe(a.visitorId); // the older profile survives
    const v = await open(a.visitorId);
    expect(v.visitCount).toBe(3);
    expect(v.name).toBe('Mia Merge');
    expect(v.identifiers).toEqual(
      expect.arrayContaining([
        { kind: 'PHONE', value: phone },
        { kind: 'LOYALTY_ID', value: loyalty },
      ]),
    );
    expect(v.attributes).toEqual([{ name: 'tier', value: 'gold' }]);
    expect(v.consents).toEqual([{ purpose: 'SMS', granted: true, source: 'CHECK_IN:DESK' }]);
    // The merged-away id still leads to the visitor; either identifier finds the same one.
    expect((await open(b.visitorId)).id).toBe(a.visitorId);
    const byLoyalty = await h.as<{ visitorByIdentifier: { id: string } }>(
      'hqAdmin',
      `query($i: VisitorIdentifierInput!) { visitorByIdentifier(identifier: $i) { id } }`,
      { i: { kind: 'LOYALTY_ID', value: loyalty } },
    );
    expect(byLoyalty.visitorByIdentifier.id).toBe(a.visitorId);
    const [merged] = await h.rows<{ merged_into: string; sealed: unknown }>(
      `SELECT "merged_into", "sealed" FROM "visitor"."profile" WHERE "id" = $1`,
      [b.visitorId],
    );
    expect(merged).toEqual({ merged_into: a.visitorId, sealed: null });
    expect(await h.rows(`SELECT 1 FROM "visitor"."profile_key" WHERE "profile_id" = $1`, [b.visitorId])).toEqual([]);
  });

  it('keeps consent per purpose as a history: each change once, the latest is current, a repeat adds nothing', async () => {
    const email = `c.${unique()}@example.com`;
    const { visitorId } = await h.checkIn({
      identifiers: [{ kind: 'EMAIL', value: email.toUpperCase() }],
      consents: [{ purpose: 'PERSONALISED_SCREENS', granted: true }],
    });
    const CONSENT = `mutation($i: VisitorConsentByIdentifierInput!) { recordVisitorConsent(input: $i) { visitorId granted changed } }`;
    const consent = (granted: boolean, source?: string) =>
      h.as<{ recordVisitorConsent: { visitorId: string; changed: boolean } }>('partnerWrite', CONSENT, {
        i: { identifier: { kind: 'EMAIL', value: email }, purpose: 'PERSONALISED_SCREENS', granted, source },
      });
    h.clock.advance(60_000);
    expect((await consent(false, 'app')).recordVisitorConsent).toEqual({ visitorId, granted: false, changed: true });
    h.clock.advance(60_000);
    expect((await consent(false)).recordVisitorConsent.changed).toBe(false);
    h.clock.advance(60_000);
    await consent(true, 'web');
    const v = await open(visitorId);
    expect(v.consentHistory).toEqual([
      { purpose: 'PERSONALISED_SCREENS', granted: true, source: 'CHECK_IN:DESK' },
      { purpose: 'PERSONALISED_SCREENS', granted: false, source: 'APP' },
      { purpose: 'PERSONALISED_SCREENS', granted: true, source: 'WEB' },
    ]);
    expect(v.consents).toEqual([{ purpose: 'PERSONALISED_SCREENS', granted: true, source: 'WEB' }]);
  });

  it('a consenting check-in emits presence.moment.v1 with their segment keys and nothing personal; others emit none', async () => {
    const key = `vip-${unique()}`;
    await h.as('hqAdmin', `mutation($i: CreateSegmentInput!) { createSegment(input: $i) { id } }`, {
      i: { key, name: 'VIP', kind: 'IMPORTED' },
    });
    const loyalty = `V-${unique()}`;
    const imported = await h.as<{ importSegmentMembers: { added: number } }>(
      'partnerWrite',
      `mutation($k: String!, $m: [VisitorIdentifierInput!]!) { importSegmentMembers(segmentKey: $k, members: $m) { added } }`,
      { k: key, m: [{ kind: 'LOYALTY_ID', value: loyalty }] },
    );
    expect(imported.importSegmentMembers.added).toBe(1);
    const phone = phoneOf();
    const staff2 = await h.checkIn(
      {
        storeId: STORE_2,
        identifiers: [
          { kind: 'LOYALTY_ID', value: loyalty },
          { kind: 'PHONE', value: phone },
        ],
        name: 'Vera Vip',
        consents: [{ purpose: 'PERSONALISED_SCREENS', granted: true }],
      },
      'staffStore2',
    );
    expect(staff2.momentEmitted).toBe(true);
    const no = await h.checkIn({ identifiers: [{ kind: 'PHONE', value: phoneOf() }], name: 'No Consent' });
    expect(no.momentEmitted).toBe(false);
    await waitFor(() => moments.some((m) => m.key === STORE_2), { message: 'the moment on the bus' });
    const ofStore2 = moments.filter((m) => m.key === STORE_2);
    expect(ofStore2).toHaveLength(1);
    const moment = presenceMomentEventV1.schema.parse(ofStore2[0]!.payload);
    expect(moment).toMatchObject({ storeId: STORE_2, source: 'CHECK_IN', zoneId: null, segmentKeys: [key] });
    expect(Date.parse(moment.expiresAt) - Date.parse(moment.occurredAt)).toBe(90_000);
    const text = JSON.stringify(ofStore2[0]!.payload);
    for (const personal of ['Vera', phone, loyalty, staff2.visitorId]) expect(text).not.toContain(personal);
  });

  it('tells proximity what a linked device carries: segments while consenting, none after withdrawal or erasure', async () => {
    const key = `near-${unique()}`;
    await h.as('hqAdmin', `mutation($i: CreateSegmentInput!) { createSegment(input: $i) { id } }`, {
      i: { key, name: 'Near', kind: 'IMPORTED' },
    });
    const device = randomBytes(32).toString('hex');
    const phone = phoneOf();
    const said = () =>
      devices.filter((d) => d.key === device).map((d) => presenceDeviceSegmentsEventV1.schema.parse(d.payload));
    const next = async (n: number) => {
      await waitFor(() => (said().length >= n ? true : undefined), { message: `device event ${n}` });
      return said()[n - 1]!;
    };
    const { visitorId } = await h.checkIn({
      identifiers: [
        { kind: 'PHONE', value: phone },
        { kind: 'DEVICE_MAC_HASH', value: device.toUpperCase() },
      ],
      name: 'Dev Linked',
      attributes: [{ name: 'tier', value: `t${key}` }],
      consents: [{ purpose: 'PERSONALISED_SCREENS', granted: true }],
    });
    expect(await next(1)).toMatchObject({ deviceHash: device, segmentKeys: [] });
    // A CDP adds the visitor (by phone) to a segment: the device carries it.
    await h.as(
      'partnerWrite',
      `mutation($k: String!, $m: [VisitorIdentifierInput!]!) { importSegmentMembers(segmentKey: $k, members: $m) { added } }`,
      { k: key, m: [{ kind: 'PHONE', value: phone }] },
    );
    expect((await next(2)).segmentKeys).toEqual([key]);
    // A rule segment that matches them (its backfill), then that segment deleted.
    const ruleKey = `rule-${unique()}`;
    const rule = await h.as<{ createSegment: { id: string } }>(
      'hqAdmin',
      `mutation($i: CreateSegmentInput!) { createSegment(input: $i) { id } }`,
      {
        i: {
          key: ruleKey,
          name: 'Rule',
          kind: 'RULE',
          rule: { conditions: [{ kind: 'ATTRIBUTE_EQUALS', attribute: 'tier', value: `t${key}` }] },
        },
      },
    );
    expect((await next(3)).segmentKeys).toEqual([key, ruleKey]);
    await h.as('hqAdmin', `mutation($id: ID!) { deleteSegment(id: $id) }`, { id: rule.createSegment.id });
    expect((await next(4)).segmentKeys).toEqual([key]);
    const CONSENT = `mutation($i: VisitorConsentByIdentifierInput!) { recordVisitorConsent(input: $i) { changed } }`;
    await h.as('partnerWrite', CONSENT, {
      i: { identifier: { kind: 'PHONE', value: phone }, purpose: 'PERSONALISED_SCREENS', granted: false },
    });
    expect((await next(5)).segmentKeys).toEqual([]);
    await h.as('partnerWrite', CONSENT, {
      i: { identifier: { kind: 'PHONE', value: phone }, purpose: 'PERSONALISED_SCREENS', granted: true },
    });
    expect((await next(6)).segmentKeys).toEqual([key]);
    const erased = await h.as<{ eraseVisitor: { erasedAt: string | null } }>(
      'hqAdmin',
      `mutation($id: ID!) { eraseVisitor(id: $id) { erasedAt } }`,
      { id: visitorId },
    );
    expect(erased.eraseVisitor.erasedAt).not.toBeNull();
    const last = await next(7);
    expect(last.segmentKeys).toEqual([]);
    // Only the device hash and segment keys travel.
    for (const d of devices.filter((x) => x.key === device)) {
      const text = JSON.stringify(d.payload);
      for (const personal of ['Dev Linked', phone, visitorId]) expect(text).not.toContain(personal);
    }
    // Profiles without a device say nothing to proximity.
    const before = devices.length;
    await h.checkIn({
      identifiers: [{ kind: 'PHONE', value: phoneOf() }],
      consents: [{ purpose: 'PERSONALISED_SCREENS', granted: true }],
    });
    await new Promise((r) => setTimeout(r, 1500));
    expect(devices.length).toBe(before);
  });

  it('erasure leaves no readable personal data in the database, cannot be decrypted, and reports keep their counts', async () => {
    const name = `Erin Erase ${unique()}`;
    const phone = phoneOf();
    const email = `erin.${unique()}@example.com`;
    const { visitorId, checkInId } = await h.checkIn({
      identifiers: [
        { kind: 'PHONE', value: phone },
        { kind: 'EMAIL', value: email },
      ],
      name,
      attributes: [{ name: 'tier', value: 'gold' }],
      consents: [{ purpose: 'PERSONALISED_SCREENS', granted: true }],
    });
    await h.as('staff', `mutation($i: VisitorNoteInput!) { addVisitorNote(input: $i) { id } }`, {
      i: { checkInId, text: 'Prefers the quiet desk' },
    });
    await h.checkIn({ identifiers: [{ kind: 'PHONE', value: phone }] });
    const before = await h.as(`hqAdmin`, REPORT);
    const exported = JSON.parse(
      (
        await h.as<{ exportVisitor: string }>('hqAdmin', `mutation($id: ID!) { exportVisitor(id: $id) }`, {
          id: visitorId,
        })
      ).exportVisitor,
    );
    expect(exported.personal).toMatchObject({ name, attributes: { tier: 'gold' } });
    expect(exported.personal.notes[0].text).toBe('Prefers the quiet desk');
    expect(exported.visits).toHaveLength(2);

    const [sealedBefore] = await h.rows<{ sealed: { iv: string; tag: string; ct: string; v: 1 } }>(
      `SELECT "sealed" FROM "visitor"."profile" WHERE "id" = $1`,
      [visitorId],
    );
    const [keyBefore] = await h.rows<{ kek: string; edk: string }>(
      `SELECT "kek", "edk" FROM "visitor"."profile_key" WHERE "profile_id" = $1`,
      [visitorId],
    );
    const context = `visitor:profile:${(await h.rows<{ tenant_id: string }>(`SELECT "tenant_id" FROM "visitor"."profile" WHERE "id" = $1`, [visitorId]))[0]!.tenant_id}:${visitorId}`;
    // Before: the sealed record opens with its key (so the test below would see readable data if it were there).
    expect((await h.envelope.open({ ...sealedBefore!.sealed, ...keyBefore! }, context)).toString()).toContain(name);

    const erased = await h.as<{ eraseVisitor: { erasedAt: string } }>(
      'hqAdmin',
      `mutation($id: ID!) { eraseVisitor(id: $id) { erasedAt } }`,
      { id: visitorId },
    );
    expect(erased.eraseVisitor.erasedAt).not.toBeNull();

    // Every table of the schema, every row as text: no plaintext name, phone, email, note or attribute value.
    const tables = await h.rows<{ table_name: string }>(
      `SELECT "table_name" FROM information_schema.tables WHERE "table_schema" = 'visitor'`,
    );
    expect(tables.length).toBeGreaterThan(8);
    for (const { table_name } of tables) {
      const dump = JSON.stringify(await h.rows(`SELECT * FROM "visitor"."${table_name}"`));
      for (const personal of [name, phone, phone.slice(1), email, 'Prefers the quiet desk', 'Erin']) {
        expect(dump, `${table_name} holds ${personal}`).not.toContain(personal);
      }
    }
    // The key is gone; the old ciphertext stays and opens for nobody, not even with the master key.
    expect(await h.rows(`SELECT 1 FROM "visitor"."profile_key" WHERE "profile_id" = $1`, [visitorId])).toEqual([]);
    const [sealedAfter] = await h.rows<{ sealed: NonNullable<typeof sealedBefore>['sealed'] }>(
      `SELECT "sealed" FROM "visitor"."profile" WHERE "id" = $1`,
      [visitorId],
    );
    expect(sealedAfter!.sealed.ct).toBe(sealedBefore!.sealed.ct);
    const stranger = { ...sealedAfter!.sealed, kek: keyBefore!.kek, edk: (await h.envelope.seal('x', context)).edk };
    await expect(h.envelope.open(stranger, context)).rejects.toThrow();
    expect(await h.rows(`SELECT 1 FROM "visitor"."identifier" WHERE "profile_id" = $1`, [visitorId])).toEqual([]);
    // Nothing leads back: the phone is a stranger now, and a new check-in with it makes a new profile.
    const again = await h.checkIn({ identifiers: [{ kind: 'PHONE', value: phone }] });
    expect(again.visitorId).not.toBe(visitorId);

    // Reports keep their numbers for what happened before (the new check-in adds its own).
    const after = await h.as<{
      visitorReport: { profiles: number; erasedProfiles: number; checkIns: number; visitors: number };
    }>('hqAdmin', REPORT);
    const b = (before as typeof after).visitorReport;
    expect(after.visitorReport).toMatchObject({
      profiles: b.profiles + 1,
      erasedProfiles: b.erasedProfiles + 1,
      checkIns: b.checkIns + 1,
      visitors: b.visitors + 1,
    });
    const v = await open(visitorId);
    expect(v).toMatchObject({ name: null, identifiers: [], attributes: [], notes: [], segments: [], visitCount: 2 });
    // The audit says who read and who erased.
    const audit = await h.as<{ visitorAudit: { action: string; actorKind: string }[] }>(
      'hqAdmin',
      `query($v: ID!) { visitorAudit(visitorId: $v) { action actorKind } }`,
      { v: visitorId },
    );
    expect(audit.visitorAudit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['CHECK_IN', 'NOTE', 'EXPORT', 'ERASE', 'READ']),
    );
  });

  it('the retention job erases profiles not seen for VISITOR_RETENTION_DAYS, and only them', async () => {
    const old = await h.checkIn({ identifiers: [{ kind: 'APP_ID', value: `app-${unique()}` }], name: 'Olga Old' });
    h.clock.advance(700 * 86_400_000);
    const recent = await h.checkIn({
      identifiers: [{ kind: 'APP_ID', value: `app-${unique()}` }],
      name: 'Rita Recent',
    });
    h.clock.advance(31 * 86_400_000); // old: 731 days, recent: 31
    const jobs = await h.openJobs();
    try {
      await h.runJob(jobs as never, 'visitor.retention');
    } finally {
      await jobs.close();
    }
    expect((await open(old.visitorId)).erasedAt).not.toBeNull();
    expect(await open(recent.visitorId)).toMatchObject({ erasedAt: null, name: 'Rita Recent' });
    const [expiry] = await h.rows<{ actor_kind: string; action: string }>(
      `SELECT "actor_kind", "action" FROM "visitor"."audit" WHERE "profile_id" = $1 AND "action" = 'EXPIRE'`,
      [old.visitorId],
    );
    expect(expiry).toEqual({ actor_kind: 'system', action: 'EXPIRE' });
  });

  it.each([
    ['a malformed phone', { identifiers: [{ kind: 'PHONE', value: '12ab' }] }, 'BAD_USER_INPUT', 'INVALID_IDENTIFIER'],
    [
      'a malformed email',
      { identifiers: [{ kind: 'EMAIL', value: 'no-at-sign' }] },
      'BAD_USER_INPUT',
      'INVALID_IDENTIFIER',
    ],
    ['no identifier', { identifiers: [] }, 'BAD_USER_INPUT', 'NO_IDENTIFIER'],
    [
      'too many identifiers',
      { identifiers: Array.from({ length: 11 }, (_, i) => ({ kind: 'APP_ID', value: `a${i}` })) },
      'BAD_USER_INPUT',
      'TOO_MANY',
    ],
    [
      'a bad attribute name',
      { identifiers: [{ kind: 'APP_ID', value: 'x1' }], attributes: [{ name: '1 bad', value: 'v' }] },
      'BAD_USER_INPUT',
      'INVALID_ATTRIBUTE',
    ],
    [
      'a store id that is no id',
      { storeId: 'nope', identifiers: [{ kind: 'APP_ID', value: 'x2' }] },
      'BAD_USER_INPUT',
      'INVALID_ID',
    ],
    [
      'another store (staff of store 1)',
      { storeId: STORE_2, identifiers: [{ kind: 'APP_ID', value: 'x3' }] },
      'FORBIDDEN',
      undefined,
    ],
  ])('refuses %s with a stable code, and writes nothing', async (_name, input, code, reason) => {
    const count = async () => (await h.rows<{ n: number }>(`SELECT count(*)::int AS n FROM "visitor"."profile"`))[0]!.n;
    const before = await count();
    const res = await h.failure('staff', h.CHECK_IN, { i: { storeId: STORE_1, source: 'DESK', ...input } });
    expect(res).toMatchObject({ code, ...(reason ? { reason } : {}) });
    expect(await count()).toBe(before);
  });

  it('a queue ticket links a check-in once; its final state from the bus becomes the visit’s outcome', async () => {
    const ticketId = randomUUID();
    const { checkInId } = await h.checkIn({
      ticketId,
      source: 'QUEUE',
      identifiers: [{ kind: 'APP_ID', value: `t-${unique()}` }],
    });
    const twice = await h.failure('staff', h.CHECK_IN, {
      i: { storeId: STORE_1, source: 'QUEUE', ticketId, identifiers: [{ kind: 'APP_ID', value: `t-${unique()}` }] },
    });
    expect(twice).toMatchObject({ code: 'CONFLICT', reason: 'TICKET_ALREADY_CHECKED_IN' });
    const at = new Date(h.clock.now()).toISOString();
    await h.infra.bus.publish('queue.ticket.v1', [
      {
        key: ticketId,
        value: {
          type: 'TicketChanged',
          eventId: randomUUID(),
          action: 'SERVED',
          occurredAt: at,
          actorKind: 'user',
          previousState: 'CALLED',
          fromLineId: null,
          ticket: {
            id: ticketId,
            tenantId: '00000000-0000-4000-8000-00000000d3e0',
            storeId: STORE_1,
            lineId: randomUUID(),
            deskId: null,
            number: 'A001',
            day: at.slice(0, 10),
            state: 'SERVED',
            parked: false,
            source: 'DESK',
            queuedAt: at,
            createdAt: at,
            calledAt: at,
            recalledAt: null,
            recallCount: 0,
            parkedAt: null,
            servedAt: at,
            noShowAt: null,
            cancelledAt: null,
            updatedAt: at,
          },
        },
      },
    ]);
    await waitFor(
      async () =>
        (
          await h.rows<{ outcome: string | null }>(`SELECT "outcome" FROM "visitor"."visit" WHERE "id" = $1`, [
            checkInId,
          ])
        )[0]?.outcome === 'SERVED',
      { message: 'the visit’s outcome' },
    );
    // A ticket the queue says is in store 1 cannot be linked from store 2.
    const elsewhere = await h.failure('staffStore2', h.CHECK_IN, {
      i: { storeId: STORE_2, source: 'QUEUE', ticketId, identifiers: [{ kind: 'APP_ID', value: `t-${unique()}` }] },
    });
    expect(elsewhere).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'TICKET_NOT_IN_STORE' });
  });
});
