import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ACCESS_TOKEN_TYPE,
  authChecker,
  authenticate,
  buildFederatedSchema,
  CreateOutbox1764000000000,
  createLogger,
  DEFAULT_TOKEN_AUDIENCE,
  DEFAULT_TOKEN_ISSUER,
  DEMO_TENANT_ID,
  GraphQLServer,
  MemoryCache,
  openDatabase,
  OutboxMessage,
  Role,
  ServiceMetrics,
  TokenVerifier,
  type AccessTokenClaims,
  LocalStorage,
} from '@phub/kit';
import { createTestDatabase } from '@phub/kit/testing';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Creative,
  creativeEntities,
  creativeMigrations,
  CreativeResolver,
  CreativeService,
  DEFAULT_MAX_BYTES,
  DEMO_BUILT_INS,
  DEMO_CREATIVES,
  mountCreativeRoutes,
  seedDemoCreatives,
  toEngineCreative,
  type CreativeContext,
} from './index.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const OTHER_TENANT = '11111111-1111-4111-8111-111111111111';
const PNG = await readFile(new URL('../../../demo-assets/new-in-store.png', import.meta.url));
const PNG_FR = await readFile(new URL('../../../demo-assets/welcome-portrait.png', import.meta.url));
const MB = 1024 * 1024;

type Who =
  | 'anonymous'
  | 'hqAdmin'
  | 'hqEditor'
  | 'hqViewer'
  | 'manager'
  | 'staff'
  | 'partner'
  | 'partnerNoScope'
  | 'device'
  | 'otherTenantAdmin';
const ROLES: Exclude<Who, 'otherTenantAdmin'>[] = [
  'anonymous',
  'hqAdmin',
  'hqEditor',
  'hqViewer',
  'manager',
  'staff',
  'partner',
  'partnerNoScope',
  'device',
];
const STORE = '00000000-0000-4000-8000-0000000005a1';
const CLAIMS: Record<Exclude<Who, 'anonymous'>, Partial<AccessTokenClaims> & { tid: string; roles: Role[] }> = {
  hqAdmin: { tid: DEMO_TENANT_ID, roles: [Role.HQ_ADMIN], sub: 'user-admin' },
  hqEditor: { tid: DEMO_TENANT_ID, roles: [Role.HQ_EDITOR], sub: 'user-editor' },
  hqViewer: { tid: DEMO_TENANT_ID, roles: [Role.HQ_VIEWER], sub: 'user-viewer' },
  manager: { tid: DEMO_TENANT_ID, roles: [Role.STORE_MANAGER], stores: [STORE], sub: 'user-manager' },
  staff: { tid: DEMO_TENANT_ID, roles: [Role.STORE_STAFF], stores: [STORE], sub: 'user-staff' },
  partner: { tid: DEMO_TENANT_ID, roles: [Role.PARTNER], scope: 'campaign:read', sub: 'client-1' },
  partnerNoScope: { tid: DEMO_TENANT_ID, roles: [Role.PARTNER], scope: 'location:read', sub: 'client-2' },
  device: { tid: DEMO_TENANT_ID, roles: [Role.DEVICE], did: randomUUID(), stores: [STORE], sub: 'display-1' },
  otherTenantAdmin: { tid: OTHER_TENANT, roles: [Role.HQ_ADMIN], sub: 'other-admin' },
};

interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; [k: string]: unknown } }[];
}
interface UploadAnswer {
  creative: { id: string; status: string };
  uploadUrl: string;
  uploadMethod: string;
  uploadHeaders: { name: string; value: string }[];
  expiresAt: string;
}

/** The creative module alone, as the campaign subgraph serves it: real Postgres, real tokens, real HTTP. */
async function startCreatives() {
  const database = await createTestDatabase();
  const logger = createLogger('creative-test', 'silent');
  const dataSource = await openDatabase({
    url: database.url,
    schema: 'campaign',
    // The outbox too: AEM creatives ask the content subgraph through it.
    entities: [...creativeEntities, OutboxMessage],
    migrations: [CreateOutbox1764000000000, ...creativeMigrations],
    logger,
  });
  const dir = await mkdtemp(join(tmpdir(), 'phub-creatives-'));
  let origin = '';
  const storage = new LocalStorage({ dir, baseUrl: () => origin });
  const service = new CreativeService(dataSource, storage, {
    maxBytes: { ...DEFAULT_MAX_BYTES, IMAGE: 1 * MB },
    defaultImageDurationMs: 10_000,
  });
  const resolver = new CreativeResolver(service);
  const schema = await buildFederatedSchema({
    resolvers: [CreativeResolver],
    container: { get: () => resolver },
    authChecker,
    validate: { forbidUnknownValues: false },
  });
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test', alg: 'EdDSA', use: 'sig' };
  const verifier = new TokenVerifier({
    issuer: DEFAULT_TOKEN_ISSUER,
    audience: DEFAULT_TOKEN_AUDIENCE,
    keys: { keys: [jwk] },
    cache: new MemoryCache(),
  });
  const server = new GraphQLServer<CreativeContext>({
    name: 'campaign',
    schema,
    logger,
    metrics: new ServiceMetrics('creative_test'),
    context: async (input) => ({ viewer: await authenticate(input, verifier) }),
  });
  mountCreativeRoutes(server.http.app, { service, storage, logger });
  await server.start(0, '127.0.0.1');
  origin = new URL(server.url).origin;

  const tokens = new Map<Who, string>();
  async function token(who: Who): Promise<string | undefined> {
    if (who === 'anonymous') return undefined;
    if (!tokens.has(who)) {
      const claims = CLAIMS[who];
      const jwt = await new SignJWT({ stores: [], ...claims, jti: randomUUID() })
        .setProtectedHeader({ alg: 'EdDSA', kid: 'test', typ: ACCESS_TOKEN_TYPE })
        .setSubject(claims.sub ?? randomUUID())
        .setIssuer(DEFAULT_TOKEN_ISSUER)
        .setAudience(DEFAULT_TOKEN_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(privateKey);
      tokens.set(who, jwt);
    }
    return tokens.get(who);
  }

  async function gql<T = Record<string, unknown>>(
    who: Who,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<GraphQLResponse<T>> {
    const bearer = await token(who);
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as GraphQLResponse<T>;
  }

  return {
    dataSource,
    storage,
    service,
    gql,
    async stop() {
      await server.stop();
      await dataSource.destroy();
      await database.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
type Harness = Awaited<ReturnType<typeof startCreatives>>;

const CREATIVE_FIELDS = `id name kind mimeType sizeBytes durationMs checksum url status failureReason aemPath createdBy archivedAt
  variants { locale url mimeType checksum durationMs }`;
const CREATE_UPLOAD = `mutation($i: CreateCreativeUploadInput!) {
  createCreativeUpload(input: $i) { creative { id status } uploadUrl uploadMethod uploadHeaders { name value } expiresAt }
}`;
const COMPLETE = `mutation($id: ID!) { completeCreativeUpload(id: $id) { ${CREATIVE_FIELDS} } }`;

let h: Harness;
beforeAll(async () => {
  h = await startCreatives();
});
afterAll(async () => {
  await h?.stop();
});

async function createUpload(who: Who, input: Record<string, unknown> = {}): Promise<UploadAnswer> {
  const res = await h.gql<{ createCreativeUpload: UploadAnswer }>(who, CREATE_UPLOAD, {
    i: {
      name: `Slide ${randomUUID().slice(0, 8)}`,
      kind: 'IMAGE',
      mimeType: 'image/png',
      sizeBytes: PNG.length,
      ...input,
    },
  });
  if (!res.data?.createCreativeUpload) throw new Error(JSON.stringify(res.errors));
  return res.data.createCreativeUpload;
}

async function upload(answer: Pick<UploadAnswer, 'uploadUrl' | 'uploadMethod' | 'uploadHeaders'>, body = PNG) {
  const headers = Object.fromEntries(
    answer.uploadHeaders.filter((x) => x.name !== 'Content-Length').map((x) => [x.name, x.value]),
  );
  const res = await fetch(answer.uploadUrl, { method: answer.uploadMethod, headers, body });
  expect(res.status).toBe(200);
}

/** A creative of `who` with its bytes uploaded; `complete` makes it READY. */
async function uploaded(who: Who, complete = false): Promise<string> {
  const answer = await createUpload(who);
  await upload(answer);
  if (complete) {
    const res = await h.gql(who, COMPLETE, { id: answer.creative.id });
    expect(res.errors).toBeUndefined();
  }
  return answer.creative.id;
}

const codeOf = (res: GraphQLResponse) => res.errors?.[0]?.extensions?.code;
const fieldsOf = (res: GraphQLResponse) =>
  ((res.errors?.[0]?.extensions?.fields as { field: string }[] | undefined) ?? []).map((f) => f.field);

describe(CreativeService.name, () => {
  it('creates a pending creative with a presigned upload, then completes it: READY with the real checksum', async () => {
    const answer = await createUpload('hqEditor', { name: '  Autumn hero  ' });
    expect(answer.creative.status).toBe('PENDING_UPLOAD');
    expect(answer.uploadMethod).toBe('PUT');
    expect(answer.uploadUrl).toMatch(/\/uploads\/[\w-]+\.[\w-]+$/);
    expect(answer.uploadHeaders).toEqual([
      { name: 'Content-Type', value: 'image/png' },
      { name: 'Content-Length', value: String(PNG.length) },
    ]);
    const ttl = new Date(answer.expiresAt).getTime() - Date.now();
    expect(ttl).toBeGreaterThan(890_000);
    expect(ttl).toBeLessThanOrEqual(900_000);

    await upload(answer);
    const res = await h.gql<{ completeCreativeUpload: Record<string, unknown> }>('hqEditor', COMPLETE, {
      id: answer.creative.id,
    });
    expect(res.errors).toBeUndefined();
    const creative = res.data!.completeCreativeUpload;
    expect(creative).toMatchObject({
      name: 'Autumn hero',
      kind: 'IMAGE',
      mimeType: 'image/png',
      sizeBytes: PNG.length,
      durationMs: 10_000,
      checksum: sha256(PNG),
      status: 'READY',
      failureReason: null,
      createdBy: 'user-editor',
      variants: [],
    });
    const asset = await fetch(creative.url as string);
    expect(asset.headers.get('content-type')).toBe('image/png');
    expect(asset.headers.get('etag')).toBe(`"${sha256(PNG)}"`);
    expect(sha256(Buffer.from(await asset.arrayBuffer()))).toBe(sha256(PNG));

    // Completing again changes nothing.
    const again = await h.gql<{ completeCreativeUpload: { checksum: string } }>('hqEditor', COMPLETE, {
      id: answer.creative.id,
    });
    expect(again.data?.completeCreativeUpload.checksum).toBe(sha256(PNG));
  });

  it('refuses to complete before the bytes arrive, and leaves the creative pending', async () => {
    const answer = await createUpload('hqAdmin');
    const res = await h.gql('hqAdmin', COMPLETE, { id: answer.creative.id });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.extensions?.reason).toBe('NOT_UPLOADED');
    const row = await h.dataSource.getRepository(Creative).findOneByOrFail({ id: answer.creative.id });
    expect(row.status).toBe('PENDING_UPLOAD');
  });

  it('fails a creative whose stored object is not what was declared (size and type), with BAD_USER_INPUT', async () => {
    const answer = await createUpload('hqAdmin', { sizeBytes: 5000 });
    const row = await h.dataSource.getRepository(Creative).findOneByOrFail({ id: answer.creative.id });
    // As S3 would hold it if a client ignored the signed headers of an S3-compatible server that does not check them.
    await h.storage.putIfAbsent(row.storageKey!, Buffer.alloc(4000, 7), 'image/jpeg');
    const res = await h.gql('hqAdmin', COMPLETE, { id: answer.creative.id });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(res).sort()).toEqual(['mimeType', 'sizeBytes']);
    const failed = await h.gql<{ creative: { status: string; failureReason: string; checksum: null } }>(
      'hqAdmin',
      `query($id: ID!) { creative(id: $id) { status failureReason checksum } }`,
      { id: answer.creative.id },
    );
    expect(failed.data?.creative).toMatchObject({ status: 'FAILED', checksum: null });
    expect(failed.data?.creative.failureReason).toContain('4000 bytes');
    expect(await h.storage.inspect(row.storageKey!)).toBeNull();
    expect(codeOf(await h.gql('hqAdmin', COMPLETE, { id: answer.creative.id }))).toBe('CONFLICT');
  });

  it.each([
    ['a type the kind does not allow', { kind: 'IMAGE', mimeType: 'video/mp4' }, 'mimeType'],
    ['a video type for HTML', { kind: 'HTML', mimeType: 'video/webm' }, 'mimeType'],
    ['a size over the kind’s limit', { sizeBytes: 1 * MB + 1 }, 'sizeBytes'],
    ['a size of zero', { sizeBytes: 0 }, 'sizeBytes'],
    ['a fractional size', { sizeBytes: 10.5 }, 'sizeBytes'],
    ['a video without a duration', { kind: 'VIDEO', mimeType: 'video/mp4' }, 'durationMs'],
    ['a duration under 1 s', { durationMs: 999 }, 'durationMs'],
    ['a duration over an hour', { durationMs: 3_600_001 }, 'durationMs'],
    ['an empty name', { name: '' }, 'name'],
    ['a blank name', { name: '   ' }, 'name'],
    ['a name over 200 characters', { name: 'x'.repeat(201) }, 'name'],
    ['an AEM upload', { kind: 'AEM', mimeType: 'text/html' }, 'kind'],
  ])('refuses %s with BAD_USER_INPUT naming the field', async (_name, input, field) => {
    const res = await h.gql('hqAdmin', CREATE_UPLOAD, {
      i: { name: 'Slide', kind: 'IMAGE', mimeType: 'image/png', sizeBytes: 100, ...input },
    });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(res)).toContain(field);
  });

  it('accepts a 400 MB video declaration (limits are per kind) with its own duration', async () => {
    const answer = await createUpload('hqAdmin', {
      kind: 'VIDEO',
      mimeType: 'video/mp4',
      sizeBytes: 400 * MB,
      durationMs: 30_000,
    });
    expect(answer.uploadHeaders).toContainEqual({ name: 'Content-Length', value: String(400 * MB) });
  });

  it('creates AEM references without bytes, which cannot be completed', async () => {
    const res = await h.gql<{ createAemCreative: Record<string, unknown> }>(
      'hqEditor',
      `mutation { createAemCreative(input: { name: "AEM hero", aemPath: "/content/screens/acme/hero", durationMs: 15000 }) { ${CREATIVE_FIELDS} } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.createAemCreative).toMatchObject({
      kind: 'AEM',
      aemPath: '/content/screens/acme/hero',
      durationMs: 15_000,
      status: 'PENDING_UPLOAD',
      url: null,
      checksum: null,
      mimeType: null,
    });
    const complete = await h.gql('hqEditor', COMPLETE, { id: res.data!.createAemCreative.id });
    expect(codeOf(complete)).toBe('BAD_USER_INPUT');
    const bad = await h.gql(
      'hqEditor',
      `mutation { createAemCreative(input: { name: "x", aemPath: "/etc/passwd", durationMs: 15000 }) { id } }`,
    );
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(bad)).toContain('aemPath');
  });

  it('asks the content subgraph for an AEM creative with a source, and takes only newer renditions', async () => {
    const sourceId = randomUUID();
    const res = await h.gql<{ createAemCreative: { id: string; status: string } }>(
      'hqEditor',
      `mutation($s: ID!) { createAemCreative(input: { name: "Spring offer", aemPath: "/content/dam/phub/offers/spring", durationMs: 10000, sourceId: $s, template: HEADLINE_BODY_IMAGE_PRICE }) { id status } }`,
      { s: sourceId },
    );
    expect(res.errors).toBeUndefined();
    const id = res.data!.createAemCreative.id;
    const outbox = await h.dataSource.query(
      `SELECT topic, key, payload FROM campaign.outbox WHERE key = $1 AND topic = 'campaign.aem-creative.v1'`,
      [id],
    );
    expect(outbox).toEqual([
      {
        topic: 'campaign.aem-creative.v1',
        key: id,
        payload: expect.objectContaining({
          tenantId: DEMO_TENANT_ID,
          creativeId: id,
          sourceId,
          aemPath: '/content/dam/phub/offers/spring',
          template: 'HEADLINE_BODY_IMAGE_PRICE',
        }),
      },
    ]);
    const rendition = (version: number, checksum: string) => ({
      tenantId: DEMO_TENANT_ID,
      creativeId: id,
      version,
      url: `https://content.example/files/${checksum}`,
      mimeType: 'text/html',
      checksum,
      sizeBytes: 120,
      failure: null,
      occurredAt: new Date().toISOString(),
    });
    expect(await h.service.applyAemRendition(rendition(2, 'b'.repeat(64)))).toBe(true);
    expect(await h.service.applyAemRendition(rendition(1, 'a'.repeat(64)))).toBe(false);
    expect(await h.service.applyAemRendition({ ...rendition(2, 'b'.repeat(64)), tenantId: randomUUID() })).toBe(false);
    const read = await h.gql<{ creative: Record<string, unknown> }>(
      'hqEditor',
      `query($id: ID!) { creative(id: $id) { status url checksum mimeType } }`,
      { id },
    );
    expect(read.data!.creative).toEqual({
      status: 'READY',
      url: `https://content.example/files/${'b'.repeat(64)}`,
      checksum: 'b'.repeat(64),
      mimeType: 'text/html',
    });
    expect(
      await h.service.applyAemRendition({
        ...rendition(3, 'c'.repeat(64)),
        url: null,
        checksum: null,
        failure: 'AEM has no fragment (404)',
      }),
    ).toBe(true);
    const failed = await h.gql<{ creative: Record<string, unknown> }>(
      'hqEditor',
      `query($id: ID!) { creative(id: $id) { status failureReason } }`,
      { id },
    );
    expect(failed.data!.creative).toEqual({ status: 'FAILED', failureReason: 'AEM has no fragment (404)' });
    const bad = await h.gql(
      'hqEditor',
      `mutation { createAemCreative(input: { name: "x", aemPath: "/content/x", durationMs: 15000, sourceId: "nope" }) { id } }`,
    );
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
  });

  it('adds a locale variant through the same upload flow, exposes it and hands it to the engine', async () => {
    const id = await uploaded('hqAdmin', true);
    const add = await h.gql<{ addCreativeVariant: UploadAnswer }>(
      'hqAdmin',
      `mutation($i: AddCreativeVariantInput!) {
        addCreativeVariant(input: $i) { creative { id } uploadUrl uploadMethod uploadHeaders { name value } expiresAt }
      }`,
      { i: { creativeId: id, locale: 'fr_ca', mimeType: 'image/png', sizeBytes: PNG_FR.length, durationMs: 12_000 } },
    );
    expect(add.errors).toBeUndefined();
    await upload(add.data!.addCreativeVariant, PNG_FR);
    const done = await h.gql<{ completeCreativeVariant: { variants: unknown[] } }>(
      'hqAdmin',
      `mutation($id: ID!) { completeCreativeVariant(creativeId: $id, locale: "fr-CA") { ${CREATIVE_FIELDS} } }`,
      { id },
    );
    expect(done.errors).toBeUndefined();
    expect(done.data!.completeCreativeVariant.variants).toEqual([
      {
        locale: 'fr-CA',
        url: expect.stringMatching(/\/assets\/.+fr-CA-[0-9a-f]+\.png$/),
        mimeType: 'image/png',
        checksum: sha256(PNG_FR),
        durationMs: 12_000,
      },
    ]);
    const row = await h.dataSource.getRepository(Creative).findOneByOrFail({ id });
    expect(toEngineCreative(row)).toEqual({
      id,
      kind: 'IMAGE',
      url: row.url,
      mimeType: 'image/png',
      durationMs: 10_000,
      checksum: sha256(PNG),
      fit: 'CONTAIN',
      variants: {
        'fr-CA': { url: expect.any(String), mimeType: 'image/png', checksum: sha256(PNG_FR), durationMs: 12_000 },
      },
    });
    expect(row.pendingVariants).toEqual({});

    const badLocale = await h.gql(
      'hqAdmin',
      `mutation($id: ID!) { addCreativeVariant(input: { creativeId: $id, locale: "not a locale!", mimeType: "image/png", sizeBytes: 10 }) { uploadUrl } }`,
      { id },
    );
    expect(fieldsOf(badLocale)).toContain('locale');
    const removed = await h.gql<{ removeCreativeVariant: { variants: unknown[] } }>(
      'hqAdmin',
      `mutation($id: ID!) { removeCreativeVariant(creativeId: $id, locale: "FR-ca") { variants { locale } } }`,
      { id },
    );
    expect(removed.data?.removeCreativeVariant.variants).toEqual([]);
  });

  it('lists by name with filters and cursors; archived creatives leave the list', async () => {
    const prefix = `List ${randomUUID().slice(0, 6)}`;
    const ids: string[] = [];
    for (const suffix of ['a', 'b', 'c']) {
      const answer = await createUpload('hqAdmin', { name: `${prefix} ${suffix}` });
      ids.push(answer.creative.id);
    }
    await upload(
      await createUpload('hqAdmin', {
        name: `${prefix} video`,
        kind: 'VIDEO',
        mimeType: 'video/webm',
        sizeBytes: 10,
        durationMs: 5000,
      }),
      Buffer.alloc(10),
    );
    const LIST = `query($f: CreativeFilter, $first: Int, $after: String) {
      creatives(filter: $f, first: $first, after: $after) { totalCount edges { node { name } } pageInfo { hasNextPage endCursor } }
    }`;
    type List = {
      creatives: {
        totalCount: number;
        edges: { node: { name: string } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    };
    const page1 = await h.gql<List>('hqViewer', LIST, { f: { search: prefix, kind: 'IMAGE' }, first: 2 });
    expect(page1.data?.creatives.totalCount).toBe(3);
    expect(page1.data?.creatives.edges.map((e) => e.node.name)).toEqual([`${prefix} a`, `${prefix} b`]);
    expect(page1.data?.creatives.pageInfo.hasNextPage).toBe(true);
    const page2 = await h.gql<List>('hqViewer', LIST, {
      f: { search: prefix, kind: 'IMAGE' },
      first: 2,
      after: page1.data!.creatives.pageInfo.endCursor,
    });
    expect(page2.data?.creatives.edges.map((e) => e.node.name)).toEqual([`${prefix} c`]);
    const videos = await h.gql<List>('hqViewer', LIST, {
      f: { search: prefix, kind: 'VIDEO', status: 'PENDING_UPLOAD' },
    });
    expect(videos.data?.creatives.edges.map((e) => e.node.name)).toEqual([`${prefix} video`]);

    await h.gql('hqAdmin', `mutation($id: ID!) { archiveCreative(id: $id) { archivedAt } }`, { id: ids[0] });
    const after = await h.gql<List>('hqViewer', LIST, { f: { search: prefix, kind: 'IMAGE' } });
    expect(after.data?.creatives.edges.map((e) => e.node.name)).toEqual([`${prefix} b`, `${prefix} c`]);
    const withArchived = await h.gql<List>('hqViewer', LIST, {
      f: { search: prefix, kind: 'IMAGE', includeArchived: true },
    });
    expect(withArchived.data?.creatives.totalCount).toBe(3);
    expect(codeOf(await h.gql('hqAdmin', COMPLETE, { id: ids[0] }))).toBe('CONFLICT');
  });

  it('keeps tenants apart: another tenant’s creative is not found anywhere', async () => {
    const id = await uploaded('hqAdmin', true);
    const read = await h.gql<{ creative: null }>('otherTenantAdmin', `query($id: ID!) { creative(id: $id) { id } }`, {
      id,
    });
    expect(read.errors).toBeUndefined();
    expect(read.data?.creative).toBeNull();
    const list = await h.gql<{ creatives: { totalCount: number } }>('otherTenantAdmin', `{ creatives { totalCount } }`);
    expect(list.data?.creatives.totalCount).toBe(0);
    for (const mutation of [
      `mutation($id: ID!) { completeCreativeUpload(id: $id) { id } }`,
      `mutation($id: ID!) { archiveCreative(id: $id) { id } }`,
      `mutation($id: ID!) { addCreativeVariant(input: { creativeId: $id, locale: "fr", mimeType: "image/png", sizeBytes: 10 }) { uploadUrl } }`,
      `mutation($id: ID!) { completeCreativeVariant(creativeId: $id, locale: "fr") { id } }`,
      `mutation($id: ID!) { updateCreative(input: { id: $id, name: "Theirs" }) { id } }`,
      `mutation($id: ID!) { restoreCreative(id: $id) { id } }`,
    ]) {
      const res = await h.gql('otherTenantAdmin', mutation, { id });
      expect(codeOf(res)).toBe('NOT_FOUND');
    }
    expect(await h.service.loadForTenant(OTHER_TENANT, [id])).toEqual([]);
    expect((await h.service.loadForTenant(DEMO_TENANT_ID, [id, 'not-an-id'])).map((c) => c.id)).toEqual([id]);
    // A malformed id is just as absent.
    expect(codeOf(await h.gql('hqAdmin', COMPLETE, { id: 'nope' }))).toBe('NOT_FOUND');
  });
});

type Outcome = 'ok' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'NOT_FOUND';
const READERS: Partial<Record<Who, Outcome>> = {
  hqAdmin: 'ok',
  hqEditor: 'ok',
  hqViewer: 'ok',
  manager: 'ok',
  staff: 'ok',
  partner: 'ok',
};
const HQ_WRITERS: Partial<Record<Who, Outcome>> = { hqAdmin: 'ok', hqEditor: 'ok' };
const WRITERS: Partial<Record<Who, Outcome>> = { ...HQ_WRITERS, manager: 'ok' };
const outcomes = (allowed: Partial<Record<Who, Outcome>>) =>
  Object.fromEntries(
    ROLES.map((w) => [w, w === 'anonymous' ? 'UNAUTHENTICATED' : (allowed[w] ?? 'FORBIDDEN')]),
  ) as Record<Who, Outcome>;

interface Operation {
  name: string;
  query: string;
  vars?: () => Promise<Record<string, unknown>>;
  expect: Record<Who, Outcome>;
}
const uploadInput = () => ({ name: 'Auth slide', kind: 'IMAGE', mimeType: 'image/png', sizeBytes: PNG.length });
const OPERATIONS: Operation[] = [
  { name: 'creatives', query: `{ creatives { totalCount } }`, expect: outcomes(READERS) },
  {
    name: 'creative',
    query: `query($id: ID!) { creative(id: $id) { id checksum } }`,
    vars: async () => ({ id: await uploaded('hqAdmin', true) }),
    expect: outcomes(READERS),
  },
  {
    name: 'createCreativeUpload',
    query: `mutation($i: CreateCreativeUploadInput!) { createCreativeUpload(input: $i) { uploadUrl } }`,
    vars: async () => ({ i: uploadInput() }),
    expect: outcomes(WRITERS),
  },
  {
    name: 'createAemCreative',
    query: `mutation { createAemCreative(input: { name: "A", aemPath: "/content/a", durationMs: 5000 }) { id } }`,
    expect: outcomes(WRITERS),
  },
  {
    name: 'completeCreativeUpload (HQ’s creative)',
    query: `mutation($id: ID!) { completeCreativeUpload(id: $id) { status } }`,
    vars: async () => ({ id: await uploaded('hqAdmin') }),
    expect: outcomes(HQ_WRITERS),
  },
  {
    name: 'completeCreativeUpload (the store manager’s own)',
    query: `mutation($id: ID!) { completeCreativeUpload(id: $id) { status } }`,
    vars: async () => ({ id: await uploaded('manager') }),
    expect: outcomes(WRITERS),
  },
  {
    name: 'addCreativeVariant (HQ’s creative)',
    query: `mutation($id: ID!) { addCreativeVariant(input: { creativeId: $id, locale: "de", mimeType: "image/png", sizeBytes: 10 }) { uploadUrl } }`,
    vars: async () => ({ id: await uploaded('hqAdmin', true) }),
    expect: outcomes(HQ_WRITERS),
  },
  {
    name: 'archiveCreative (HQ’s creative)',
    query: `mutation($id: ID!) { archiveCreative(id: $id) { archivedAt } }`,
    vars: async () => ({ id: await uploaded('hqAdmin', true) }),
    expect: outcomes(HQ_WRITERS),
  },
  {
    name: 'archiveCreative (the store manager’s own)',
    query: `mutation($id: ID!) { archiveCreative(id: $id) { archivedAt } }`,
    vars: async () => ({ id: await uploaded('manager', true) }),
    expect: outcomes(WRITERS),
  },
  {
    name: 'updateCreative (HQ’s creative)',
    query: `mutation($id: ID!) { updateCreative(input: { id: $id, name: "Renamed", tags: ["x"], fitMode: COVER }) { name } }`,
    vars: async () => ({ id: await uploaded('hqAdmin', true) }),
    expect: outcomes(HQ_WRITERS),
  },
  {
    name: 'updateCreative (the store manager’s own)',
    query: `mutation($id: ID!) { updateCreative(input: { id: $id, name: "Renamed" }) { name } }`,
    vars: async () => ({ id: await uploaded('manager', true) }),
    expect: outcomes(WRITERS),
  },
  {
    name: 'restoreCreative (HQ’s creative)',
    query: `mutation($id: ID!) { restoreCreative(id: $id) { id } }`,
    vars: async () => ({ id: await archived('hqAdmin') }),
    expect: outcomes(HQ_WRITERS),
  },
  {
    name: 'restoreCreative (the store manager’s own)',
    query: `mutation($id: ID!) { restoreCreative(id: $id) { id } }`,
    vars: async () => ({ id: await archived('manager') }),
    expect: outcomes(WRITERS),
  },
];

/** A READY creative of `who`, archived. */
async function archived(who: Who): Promise<string> {
  const id = await uploaded(who, true);
  const res = await h.gql(who, `mutation($id: ID!) { archiveCreative(id: $id) { id } }`, { id });
  expect(res.errors).toBeUndefined();
  return id;
}

describe(`${CreativeResolver.name} authorisation`, () => {
  const cases = OPERATIONS.flatMap((op) => ROLES.map((who) => [op.name, who, op.expect[who], op] as const));
  it.each(cases)('%s as %s → %s', async (_name, who, expected, op) => {
    const res = await h.gql(who, op.query, op.vars ? await op.vars() : {});
    const outcome = res.errors?.length ? res.errors[0]!.extensions?.code : 'ok';
    expect(outcome).toBe(expected);
    if (expected === 'ok') expect(Object.values(res.data ?? {})[0]).toBeTruthy();
  });
});

describe(seedDemoCreatives.name, () => {
  const TENANT = '22222222-2222-4222-8222-222222222222';
  let dataSource: DataSource;

  beforeAll(() => {
    dataSource = h.dataSource;
  });

  it('creates READY creatives with the files’ real checksums, served from storage, and never overwrites', async () => {
    const ids = await seedDemoCreatives(dataSource, h.storage, TENANT);
    expect(Object.keys(ids)).toEqual([...DEMO_CREATIVES, ...DEMO_BUILT_INS].map((d) => d.name));
    const rows = await dataSource.getRepository(Creative).findBy({ tenantId: TENANT });
    expect(rows).toHaveLength(DEMO_CREATIVES.length + DEMO_BUILT_INS.length);
    for (const demo of DEMO_CREATIVES) {
      const bytes = await readFile(new URL(`../../../demo-assets/${demo.file}`, import.meta.url));
      const row = rows.find((r) => r.id === ids[demo.name])!;
      expect(row).toMatchObject({
        status: 'READY',
        kind: 'IMAGE',
        mimeType: 'image/png',
        checksum: sha256(bytes),
        sizeBytes: bytes.length,
      });
      expect(bytes.length).toBeLessThan(200 * 1024);
    }
    const first = rows.find((r) => r.id === ids[DEMO_CREATIVES[0]!.name])!;
    const served = await fetch(first.url!);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(sha256(Buffer.from(await served.arrayBuffer()))).toBe(first.checksum);

    // A renamed demo creative stays renamed; seeding twice adds nothing.
    await dataSource.getRepository(Creative).update({ id: first.id }, { name: 'Renamed by HQ' });
    expect(await seedDemoCreatives(dataSource, h.storage, TENANT)).toEqual(ids);
    const again = await dataSource.getRepository(Creative).findBy({ tenantId: TENANT });
    expect(again).toHaveLength(DEMO_CREATIVES.length + DEMO_BUILT_INS.length);
    expect(again.find((r) => r.id === first.id)?.name).toBe('Renamed by HQ');
  });
});
