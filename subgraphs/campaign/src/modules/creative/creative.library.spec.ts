import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { creativeEventV1, type CreativeEventV1 } from '@phub/contracts';
import { createLogger, DEMO_TENANT_ID, Role } from '@phub/kit';
import { ManualClock, openJobSource } from '@phub/kit/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDisplayId, demoStoreId } from '../../demo/demo-data.js';
import { campaign } from '../../index.js';
import { createCampaign, demoCreatives, liveCampaign } from '../../testing/campaigns.js';
import { startCampaign, type CampaignHarness, type GraphQLResponse } from '../../testing/harness.js';
import { CREATIVE_CLEANUP_JOB } from './creative.job.js';

const LANDSCAPE_PNG = await readFile(new URL('../../../demo-assets/new-in-store.png', import.meta.url));
const PORTRAIT_PNG = await readFile(new URL('../../../demo-assets/welcome-portrait.png', import.meta.url));
const PORTRAIT_DISPLAY = demoDisplayId(2, 1);
const LANDSCAPE_DISPLAY = demoDisplayId(2, 3);
const HOUR = 3_600_000;

interface UploadAnswer {
  creative: { id: string };
  uploadUrl: string;
  uploadMethod: string;
  uploadHeaders: { name: string; value: string }[];
}
const codeOf = (res: GraphQLResponse) => res.errors?.[0]?.extensions?.code;
const fieldsOf = (res: GraphQLResponse) =>
  ((res.errors?.[0]?.extensions?.fields as { field: string }[] | undefined) ?? []).map((f) => f.field);

describe('creative library (campaign subgraph, real Postgres)', () => {
  let h: CampaignHarness;
  let admin: string;
  let manager: string;
  let viewer: string;
  let db: pg.Client;
  const clock = new ManualClock(Date.now());

  beforeAll(async () => {
    h = await startCampaign({ clock });
    admin = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.HQ_ADMIN], sub: 'lib-admin' });
    viewer = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.HQ_VIEWER], sub: 'lib-viewer' });
    manager = await h.issuer.token({
      tid: DEMO_TENANT_ID,
      roles: [Role.STORE_MANAGER],
      stores: [demoStoreId(1)],
      sub: 'lib-manager',
    });
    db = new pg.Client({ connectionString: h.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await h?.stop();
  });

  async function put(answer: UploadAnswer, body: Buffer) {
    const headers = Object.fromEntries(
      answer.uploadHeaders.filter((x) => x.name !== 'Content-Length').map((x) => [x.name, x.value]),
    );
    const res = await fetch(answer.uploadUrl, { method: answer.uploadMethod, headers, body });
    expect(res.status).toBe(200);
  }

  async function createUpload(input: Record<string, unknown>, token = admin): Promise<UploadAnswer> {
    const res = await h.gql<{ createCreativeUpload: UploadAnswer }>(
      `mutation($i: CreateCreativeUploadInput!) {
        createCreativeUpload(input: $i) { creative { id } uploadUrl uploadMethod uploadHeaders { name value } }
      }`,
      { i: { kind: 'IMAGE', mimeType: 'image/png', sizeBytes: LANDSCAPE_PNG.length, ...input } },
      token,
    );
    if (!res.data) throw new Error(JSON.stringify(res.errors));
    return res.data.createCreativeUpload;
  }

  /** A READY creative of the given bytes and declared size. */
  async function ready(name: string, body = LANDSCAPE_PNG, size = { width: 1920, height: 1080 }): Promise<string> {
    const answer = await createUpload({ name, sizeBytes: body.length, ...size });
    await put(answer, body);
    const done = await h.gql(
      `mutation($id: ID!) { completeCreativeUpload(id: $id) { status } }`,
      {
        id: answer.creative.id,
      },
      admin,
    );
    expect(done.errors).toBeUndefined();
    return answer.creative.id;
  }

  const LIST = `query($f: CreativeFilter, $sort: CreativeSort, $first: Int) {
    creatives(filter: $f, sort: $sort, first: $first) {
      totalCount
      edges { node { id name width height orientation orientations tags fitMode archivedAt
        usedBy { campaignId campaignName campaignStatus inRevision } } }
    }
  }`;
  type Node = {
    id: string;
    name: string;
    width: number | null;
    height: number | null;
    orientation: string | null;
    orientations: string[];
    tags: string[];
    fitMode: string;
    archivedAt: string | null;
    usedBy: { campaignId: string; campaignName: string; campaignStatus: string; inRevision: boolean }[];
  };
  async function list(filter: Record<string, unknown>, token = admin, sort?: string) {
    const res = await h.gql<{ creatives: { totalCount: number; edges: { node: Node }[] } }>(
      LIST,
      { f: filter, sort, first: 50 },
      token,
    );
    if (!res.data) throw new Error(JSON.stringify(res.errors));
    return res.data.creatives.edges.map((e) => e.node);
  }

  it('keeps the declared pixel size, derives the orientation, and filters by it, by tag and by search', async () => {
    const wide = await ready('Lib wide', LANDSCAPE_PNG, { width: 1920, height: 1080 });
    const tall = await ready('Lib tall', PORTRAIT_PNG, { width: 1080, height: 1920 });
    const square = await ready('Lib square', LANDSCAPE_PNG, { width: 1000, height: 1010 });
    const tagged = await h.gql<{ updateCreative: Node }>(
      `mutation($i: UpdateCreativeInput!) { updateCreative(input: $i) { id name tags fitMode } }`,
      { i: { id: tall, tags: ['  Autumn ', 'autumn', 'Window Display'] } },
      admin,
    );
    expect(tagged.data?.updateCreative.tags).toEqual(['autumn', 'window display']);

    const all = await list({ search: 'Lib ' });
    expect(all.map((c) => [c.name, c.width, c.height, c.orientation, c.orientations])).toEqual([
      ['Lib square', 1000, 1010, 'SQUARE', ['LANDSCAPE', 'PORTRAIT']],
      ['Lib tall', 1080, 1920, 'PORTRAIT', ['PORTRAIT']],
      ['Lib wide', 1920, 1080, 'LANDSCAPE', ['LANDSCAPE']],
    ]);
    expect((await list({ search: 'Lib ', orientation: 'PORTRAIT' })).map((c) => c.id)).toEqual([tall]);
    expect((await list({ orientation: 'SQUARE' })).map((c) => c.id)).toEqual([square]);
    expect((await list({ tag: 'AUTUMN' })).map((c) => c.id)).toEqual([tall]);
    // Search finds a tag as well as a name.
    expect((await list({ search: 'window display' })).map((c) => c.id)).toEqual([tall]);
    const newest = await list({ search: 'Lib ' }, viewer, 'NEWEST');
    expect(newest.map((c) => c.id)).toEqual([square, tall, wide]);

    const half = await h.gql(
      `mutation($i: CreateCreativeUploadInput!) { createCreativeUpload(input: $i) { uploadUrl } }`,
      { i: { name: 'x', kind: 'IMAGE', mimeType: 'image/png', sizeBytes: 10, width: 100 } },
      admin,
    );
    expect(fieldsOf(half)).toEqual(['height']);
    const huge = await h.gql(
      `mutation($i: CreateCreativeUploadInput!) { createCreativeUpload(input: $i) { uploadUrl } }`,
      { i: { name: 'x', kind: 'IMAGE', mimeType: 'image/png', sizeBytes: 10, width: 100_000, height: 10 } },
      admin,
    );
    expect(codeOf(huge)).toBe('BAD_USER_INPUT');
  });

  it('renames, tags, archives and restores; bad names and tags are BAD_USER_INPUT naming the field', async () => {
    const id = await ready('Lib rename me');
    const UPDATE = `mutation($i: UpdateCreativeInput!) { updateCreative(input: $i) { name tags } }`;
    const renamed = await h.gql<{ updateCreative: Node }>(UPDATE, { i: { id, name: '  Lib renamed ' } }, admin);
    expect(renamed.data?.updateCreative).toEqual({ name: 'Lib renamed', tags: [] });
    expect(fieldsOf(await h.gql(UPDATE, { i: { id, name: '   ' } }, admin))).toEqual(['name']);
    expect(fieldsOf(await h.gql(UPDATE, { i: { id, tags: ['ok', '<script>'] } }, admin))).toEqual(['tags[1]']);
    expect(codeOf(await h.gql(UPDATE, { i: { id, fitMode: 'STRETCH' } }, admin))).toBe('BAD_USER_INPUT');
    // A store manager changes only what they uploaded.
    expect(codeOf(await h.gql(UPDATE, { i: { id, name: 'Mine now' } }, manager))).toBe('FORBIDDEN');
    expect(codeOf(await h.gql(UPDATE, { i: { id: 'nope', name: 'x' } }, admin))).toBe('NOT_FOUND');

    await h.gql(`mutation($id: ID!) { archiveCreative(id: $id) { id } }`, { id }, admin);
    expect((await list({ search: 'Lib renamed' })).map((c) => c.id)).toEqual([]);
    expect((await list({ search: 'Lib renamed', archivedOnly: true })).map((c) => c.id)).toEqual([id]);
    expect(codeOf(await h.gql(UPDATE, { i: { id, name: 'x' } }, admin))).toBe('CONFLICT');
    const restored = await h.gql<{ restoreCreative: Node }>(
      `mutation($id: ID!) { restoreCreative(id: $id) { archivedAt } }`,
      { id },
      admin,
    );
    expect(restored.data?.restoreCreative.archivedAt).toBeNull();
    const again = await h.gql(`mutation($id: ID!) { restoreCreative(id: $id) { archivedAt } }`, { id }, admin);
    expect(codeOf(again)).toBe('CONFLICT');
    expect((await list({ search: 'Lib renamed' })).map((c) => c.id)).toEqual([id]);
  });

  it('announces each library change on campaign.creative.v1 through the outbox (for content’s search)', async () => {
    const events: CreativeEventV1[] = [];
    const subscription = await h.infra.bus.subscribe({
      groupId: 'creative-library-spec',
      topics: [creativeEventV1.topic],
      fromBeginning: true,
      handler: async (m) => void events.push(creativeEventV1.schema.parse(m.value)),
    });
    try {
      const id = await ready('Lib announced');
      await h.gql(
        `mutation($i: UpdateCreativeInput!) { updateCreative(input: $i) { id } }`,
        { i: { id, name: 'Lib announced again', tags: ['Autumn'] } },
        admin,
      );
      await h.gql(`mutation($id: ID!) { archiveCreative(id: $id) { id } }`, { id }, admin);
      await expect
        .poll(() =>
          events
            .filter((e) => e.creative.id === id)
            .map((e) => [e.creative.name, e.creative.status, e.creative.tags.join(), e.creative.archived]),
        )
        .toEqual([
          ['Lib announced', 'PENDING_UPLOAD', '', false],
          ['Lib announced', 'READY', '', false],
          ['Lib announced again', 'READY', 'autumn', false],
          ['Lib announced again', 'READY', 'autumn', true],
        ]);
    } finally {
      await subscription.close();
    }
  });

  it('says where a creative is used: campaigns (a revision’s too), only those the caller may see', async () => {
    const id = await ready('Lib where used');
    expect((await list({ search: 'Lib where used' }))[0]!.usedBy).toEqual([]);
    expect((await list({ search: 'Lib where used', used: false })).map((c) => c.id)).toEqual([id]);
    const draft = await createCampaign(h, admin, { name: 'Lib draft', creativeIds: [id] });
    const live = await liveCampaign(h, admin, { name: 'Lib live', creativeIds: [demoCreatives[0]] });
    const revised = await h.gql(
      `mutation($i: UpdateCampaignInput!) { updateCampaign(input: $i) { pendingRevision { id } } }`,
      { i: { id: live, creativeIds: [demoCreatives[0], id] } },
      admin,
    );
    expect(revised.errors).toBeUndefined();
    const local = await createCampaign(h, admin, {
      name: 'Lib other store',
      creativeIds: [id],
      storeId: demoStoreId(2),
    });
    expect(local.errors).toBeUndefined();

    const [node] = await list({ search: 'Lib where used', used: true });
    expect(node!.usedBy).toEqual([
      {
        campaignId: draft.data!.createCampaign.id,
        campaignName: 'Lib draft',
        campaignStatus: 'DRAFT',
        inRevision: false,
      },
      { campaignId: live, campaignName: 'Lib live', campaignStatus: 'LIVE', inRevision: true },
      {
        campaignId: local.data!.createCampaign.id,
        campaignName: 'Lib other store',
        campaignStatus: 'DRAFT',
        inRevision: false,
      },
    ]);
    // A manager of store 1 does not learn of store 2's campaign.
    const [seen] = await list({ search: 'Lib where used' }, manager);
    expect(seen!.usedBy.map((u) => u.campaignName)).toEqual(['Lib draft', 'Lib live']);
    expect((await list({ search: 'Lib where used', used: false })).map((c) => c.id)).toEqual([]);
  });

  it('plays the orientation version on displays of that orientation, with the creative’s fit mode', async () => {
    const id = await ready('Lib oriented', LANDSCAPE_PNG, { width: 1920, height: 1080 });
    const add = await h.gql<{ addCreativeVariant: UploadAnswer }>(
      `mutation($i: AddCreativeVariantInput!) {
        addCreativeVariant(input: $i) { creative { id } uploadUrl uploadMethod uploadHeaders { name value } }
      }`,
      {
        i: {
          creativeId: id,
          orientation: 'PORTRAIT',
          mimeType: 'image/png',
          sizeBytes: PORTRAIT_PNG.length,
          width: 1080,
          height: 1920,
        },
      },
      admin,
    );
    expect(add.errors).toBeUndefined();
    await put(add.data!.addCreativeVariant, PORTRAIT_PNG);
    const done = await h.gql<{ completeCreativeVariant: { variants: unknown[]; orientations: string[] } }>(
      `mutation($id: ID!) { completeCreativeVariant(creativeId: $id, orientation: PORTRAIT) {
        orientations variants { locale orientation width height mimeType } } }`,
      { id },
      admin,
    );
    expect(done.data?.completeCreativeVariant).toEqual({
      orientations: ['LANDSCAPE', 'PORTRAIT'],
      variants: [{ locale: null, orientation: 'PORTRAIT', width: 1080, height: 1920, mimeType: 'image/png' }],
    });
    const both = await h.gql(
      `mutation($id: ID!) { completeCreativeVariant(creativeId: $id, locale: "fr", orientation: PORTRAIT) { id } }`,
      { id },
      admin,
    );
    expect(codeOf(both)).toBe('BAD_USER_INPUT');

    const campaignId = await liveCampaign(h, admin, {
      name: 'Lib oriented campaign',
      priority: 90,
      creativeIds: [id],
      targeting: { include: [{ kind: 'STORE', value: demoStoreId(2) }] },
    });
    await h.service.idle();
    const ITEMS = `query($d: ID!) { displayPlaylist(displayId: $d) { version items { campaignId url fit } } }`;
    type Items = { displayPlaylist: { version: string; items: { campaignId: string; url: string; fit: string }[] } };
    const itemOf = async (display: string) => {
      const res = await h.gql<Items>(ITEMS, { d: display }, admin);
      if (!res.data) throw new Error(JSON.stringify(res.errors));
      return {
        version: res.data.displayPlaylist.version,
        item: res.data.displayPlaylist.items.find((i) => i.campaignId === campaignId)!,
      };
    };
    const portrait = await itemOf(PORTRAIT_DISPLAY);
    const landscape = await itemOf(LANDSCAPE_DISPLAY);
    expect(portrait.item.url).toMatch(/o-PORTRAIT-[0-9a-f]+\.png$/);
    expect(landscape.item.url).toMatch(/original-[0-9a-f]+\.png$/);
    expect(portrait.item.fit).toBe('CONTAIN');

    // The fit mode is the creative's choice; screens playing it get a new playlist version at once.
    const fit = await h.gql(
      `mutation($i: UpdateCreativeInput!) { updateCreative(input: $i) { fitMode } }`,
      { i: { id, fitMode: 'COVER' } },
      admin,
    );
    expect(fit.data).toEqual({ updateCreative: { fitMode: 'COVER' } });
    await h.service.idle();
    const after = await itemOf(LANDSCAPE_DISPLAY);
    expect(after.item.fit).toBe('COVER');
    expect(after.version).not.toBe(landscape.version);
  });

  it('deletes uploads orphaned by a failed create (row and bytes) once they cannot complete, and nothing else', async () => {
    const jobs = await openJobSource(campaign.jobSource({ clock, env: h.env }), {
      infra: h.infra,
      logger: createLogger('creative-cleanup-test', 'silent'),
    });
    try {
      const keyOf = async (id: string) =>
        (await db.query<{ storage_key: string }>(`SELECT storage_key FROM campaign.creative WHERE id = $1`, [id]))
          .rows[0]?.storage_key;
      const exists = async (id: string) =>
        (await db.query(`SELECT 1 FROM campaign.creative WHERE id = $1`, [id])).rowCount === 1;

      // Bytes sent, never completed (the browser went away).
      const abandoned = await createUpload({ name: 'Lib abandoned' });
      await put(abandoned, LANDSCAPE_PNG);
      const abandonedKey = (await keyOf(abandoned.creative.id))!;
      expect(existsSync(join(h.env.ASSET_DIR, abandonedKey))).toBe(true);
      // Never even uploaded.
      const empty = await createUpload({ name: 'Lib never sent' });
      // Failed verification (declared another size).
      const failed = await createUpload({ name: 'Lib failed', sizeBytes: LANDSCAPE_PNG.length + 1 });
      await db.query(`UPDATE campaign.creative SET status = 'FAILED' WHERE id = $1`, [failed.creative.id]);
      // Pending but named by a draft: kept (the campaign says what happened to it).
      const named = await createUpload({ name: 'Lib named by a draft' });
      expect((await createCampaign(h, admin, { creativeIds: [named.creative.id] })).errors).toBeUndefined();
      // A READY creative with a variant upload never completed.
      const kept = await ready('Lib kept');
      const variant = await h.gql<{ addCreativeVariant: UploadAnswer }>(
        `mutation($i: AddCreativeVariantInput!) {
          addCreativeVariant(input: $i) { creative { id } uploadUrl uploadMethod uploadHeaders { name value } }
        }`,
        { i: { creativeId: kept, locale: 'de', mimeType: 'image/png', sizeBytes: LANDSCAPE_PNG.length } },
        admin,
      );
      await put(variant.data!.addCreativeVariant, LANDSCAPE_PNG);
      const pendingKey = (
        await db.query<{ key: string }>(
          `SELECT pending_variants->'de'->>'key' AS key FROM campaign.creative WHERE id = $1`,
          [kept],
        )
      ).rows[0]!.key;
      expect(existsSync(join(h.env.ASSET_DIR, pendingKey))).toBe(true);
      // An AEM reference waits for the content integration however long.
      const aem = await h.gql<{ createAemCreative: { id: string } }>(
        `mutation { createAemCreative(input: { name: "Lib AEM", aemPath: "/content/lib", durationMs: 5000 }) { id } }`,
        {},
        admin,
      );
      const aemId = aem.data!.createAemCreative.id;

      // Within the grace period nothing goes.
      await jobs.run(CREATIVE_CLEANUP_JOB);
      expect(await exists(abandoned.creative.id)).toBe(true);
      expect(existsSync(join(h.env.ASSET_DIR, pendingKey))).toBe(true);

      clock.advance(25 * HOUR);
      await jobs.run(CREATIVE_CLEANUP_JOB);
      expect(await exists(abandoned.creative.id)).toBe(false);
      expect(existsSync(join(h.env.ASSET_DIR, abandonedKey))).toBe(false);
      expect(await exists(empty.creative.id)).toBe(false);
      expect(await exists(failed.creative.id)).toBe(false);
      expect(await exists(named.creative.id)).toBe(true);
      expect(await exists(kept)).toBe(true);
      expect(await exists(aemId)).toBe(true);
      const keptRow = await db.query(`SELECT status, pending_variants FROM campaign.creative WHERE id = $1`, [kept]);
      expect(keptRow.rows[0]).toEqual({ status: 'READY', pending_variants: {} });
      expect(existsSync(join(h.env.ASSET_DIR, pendingKey))).toBe(false);
      // The READY creative's own bytes stay.
      expect(existsSync(join(h.env.ASSET_DIR, (await keyOf(kept))!))).toBe(true);
    } finally {
      await jobs.close();
    }
  });
});
