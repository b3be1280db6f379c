import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuth, type AuthHarness } from '../../testing/harness.js';
import { documentId, TrustedDocumentService } from './trusted-document.service.js';

const REGISTER = `mutation($i: RegisterTrustedDocumentsInput!) { registerTrustedDocuments(input: $i) { id clientId body } }`;
const LIST = `query($c: ID!) { trustedDocuments(clientId: $c) { id body } }`;
const STORES = '{ stores(first: 5) { edges { node { name } } } }';
const VIEWER = 'query Me { viewer { kind subject } }';

describe(TrustedDocumentService.name, () => {
  let h: AuthHarness;
  let admin: string;
  let clientId: string;

  beforeAll(async () => {
    h = await startAuth();
    admin = (await h.login('hq@demo.test')).accessToken;
    clientId = (await h.partner(admin)).clientId;
  });
  afterAll(async () => {
    await h?.stop();
  });

  // This harness runs without a gateway secret (every caller counts as the gateway); the e2e test has one.
  const internal = (client: string, id: string) => fetch(`${h.baseUrl}/internal/trusted-documents/${client}/${id}`);

  it('registers documents under their SHA-256, idempotently, and lists them', async () => {
    const first = await h.gql<{ registerTrustedDocuments: { id: string }[] }>(
      REGISTER,
      { i: { clientId, documents: [STORES, VIEWER] } },
      admin,
    );
    expect(first.errors).toBeUndefined();
    expect(first.data!.registerTrustedDocuments.map((d) => d.id).sort()).toEqual(
      [documentId(STORES), documentId(VIEWER)].sort(),
    );
    expect(documentId(STORES)).toMatch(/^[0-9a-f]{64}$/);
    const again = await h.gql(REGISTER, { i: { clientId, documents: [STORES] } }, admin);
    expect(again.errors).toBeUndefined();
    const listed = await h.gql<{ trustedDocuments: { id: string; body: string }[] }>(LIST, { c: clientId }, admin);
    expect(listed.data!.trustedDocuments).toHaveLength(2);
  });

  it.each([
    ['a document that does not parse', ['{ stores {'], 'BAD_USER_INPUT', /documents\[0\] is not a GraphQL document/],
    ['a schema definition', ['type Foo { a: Int }'], 'BAD_USER_INPUT', /operations and fragments only/],
    ['no documents', [], 'BAD_USER_INPUT', /at least one document/],
  ])('refuses %s with a clear error and registers nothing', async (_case, documents, code, message) => {
    const other = (await h.partner(admin)).clientId;
    const res = await h.gql(
      REGISTER,
      { i: { clientId: other, documents: documents.length ? [...documents, VIEWER] : [] } },
      admin,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe(code);
    expect(res.errors?.[0]?.message).toMatch(message);
    const listed = await h.gql<{ trustedDocuments: unknown[] }>(LIST, { c: other }, admin);
    expect(listed.data!.trustedDocuments).toEqual([]);
  });

  it('does not register for a client of another tenant (NOT_FOUND)', async () => {
    const res = await h.gql(
      REGISTER,
      { i: { clientId: '00000000-0000-4000-8000-000000000999', documents: [VIEWER] } },
      admin,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('serves the text to the gateway only, and only while the client lives', async () => {
    const ok = await internal(clientId, documentId(STORES));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ body: STORES });
    expect((await internal(clientId, documentId('{ other }'))).status).toBe(404);
    expect((await internal(clientId, 'not-a-hash')).status).toBe(404);
    const revoked = (await h.partner(admin)).clientId;
    await h.gql(REGISTER, { i: { clientId: revoked, documents: [VIEWER] } }, admin);
    await h.gql('mutation($id: ID!) { revokeApiClient(id: $id) { id } }', { id: revoked }, admin);
    expect((await internal(revoked, documentId(VIEWER))).status).toBe(404);
  });

  it('removes a document', async () => {
    const res = await h.gql<{ removeTrustedDocument: boolean }>(
      'mutation($c: ID!, $id: ID!) { removeTrustedDocument(clientId: $c, id: $id) }',
      { c: clientId, id: documentId(VIEWER) },
      admin,
    );
    expect(res.data?.removeTrustedDocument).toBe(true);
    expect((await internal(clientId, documentId(VIEWER))).status).toBe(404);
  });

  it.each([
    ['a client id that is not a uuid', '24:61', '524a027e-0009-1000-8000-000e1cb95a9f'],
    ['an id that is not a sha256', undefined, '2024-02-30'],
  ])('answers false, not an internal error, for %s (found by the fuzz test)', async (_what, client, id) => {
    const res = await h.gql<{ removeTrustedDocument: boolean }>(
      'mutation($c: ID!, $id: ID!) { removeTrustedDocument(clientId: $c, id: $id) }',
      { c: client ?? clientId, id },
      admin,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.removeTrustedDocument).toBe(false);
  });
});
