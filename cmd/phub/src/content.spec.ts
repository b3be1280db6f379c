import { graphql, login, PlatformProcess } from '@phub/e2e';
import { AemServer } from '@phub/content/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const SYNC_SECONDS = 2;

/**
 * Content from AEM on the binary, through the gateway (issue 16): HQ adds an AEM source and picks a content
 * fragment, the campaign is approved and the display plays the rendered creative; the fragment changes in AEM, the
 * worker's sync job picks it up and the display's playlist switches to the new copy within the sync interval + 2 s.
 */
describe('content from AEM through the gateway', () => {
  let aem: AemServer;
  let platform: PlatformProcess;
  let gateway: string;
  let hq: string;

  async function as<T>(query: string, variables: Record<string, unknown> = {}) {
    const res = await graphql<T>(gateway, query, variables, hq);
    if (res.errors?.length) throw new Error(JSON.stringify(res.errors));
    return res.data!;
  }

  const offer = (price: string) => ({
    id: 'cf-spring',
    path: '/content/dam/phub/offers/spring',
    title: 'Spring',
    modelId: 'offer',
    fields: { headline: 'Spring sale', body: 'This week only', price },
  });

  beforeAll(async () => {
    aem = await AemServer.start({ kind: 'basic', username: 'phub-reader', password: 'reader-secret' });
    aem.fragment(offer('£19.99'));
    platform = await PlatformProcess.start('all', {
      CONTENT_AEM_ALLOW_HTTP: 'true',
      CONTENT_SYNC_EVERY_SECONDS: String(SYNC_SECONDS),
    });
    gateway = platform.urls.gateway!;
    hq = await login(gateway, 'hq@demo.test');
  }, 120_000);
  afterAll(async () => {
    await platform?.stop();
    await aem?.close();
  }, 40_000);

  it('plays a picked content fragment, and switches when it changes in AEM', async () => {
    const { createContentSource: source } = await as<{ createContentSource: { id: string } }>(
      `mutation($i: CreateContentSourceInput!) { createContentSource(input: $i) { id } }`,
      { i: { name: 'Author', baseUrl: aem.url, authKind: 'BASIC', username: 'phub-reader', secret: 'reader-secret' } },
    );
    const { aemFragments } = await as<{ aemFragments: { items: { id: string; path: string }[] } }>(
      `query($s: ID!) { aemFragments(sourceId: $s, path: "/content/dam/phub/offers") { items { id path } } }`,
      { s: source.id },
    );
    const picked = aemFragments.items[0]!;
    const { createAemCreative } = await as<{ createAemCreative: { id: string } }>(
      `mutation($i: CreateAemCreativeInput!) { createAemCreative(input: $i) { id } }`,
      {
        i: {
          name: 'Spring offer',
          aemPath: picked.path,
          durationMs: 10_000,
          sourceId: source.id,
          template: 'HEADLINE_BODY_IMAGE_PRICE',
        },
      },
    );
    const creativeId = createAemCreative.id;
    const creative = () =>
      as<{ creative: { status: string; url: string | null } }>(`query($id: ID!) { creative(id: $id) { status url } }`, {
        id: creativeId,
      });
    await vi.waitFor(async () => expect((await creative()).creative.status).toBe('READY'), {
      timeout: 20_000,
      interval: 200,
    });
    const firstUrl = (await creative()).creative.url!;
    // A copy in the object storage (no S3_BUCKET here: ASSET_DIR, served by the content service at /assets).
    expect(firstUrl).toMatch(/\/assets\/[0-9a-f-]{36}\/aem\/[0-9a-f]{64}\.html$/);
    expect(await (await fetch(firstUrl)).text()).toContain('£19.99');

    const { stores } = await as<{ stores: { edges: { node: { displays: { id: string }[] } }[] } }>(
      `{ stores(first: 1) { edges { node { displays { id } } } } }`,
    );
    const display = stores.edges[0]!.node.displays[0]!.id;
    const { createCampaign } = await as<{ createCampaign: { id: string } }>(
      `mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }`,
      {
        i: {
          name: 'Spring offer from AEM',
          creativeIds: [creativeId],
          priority: 950,
          targeting: { include: [{ kind: 'DISPLAY', value: display }] },
        },
      },
    );
    await as(`mutation($id: ID!) { submitCampaign(id: $id) { id } }`, { id: createCampaign.id });
    await as(`mutation($id: ID!) { approveCampaign(id: $id) { id } }`, { id: createCampaign.id });
    const playing = async () =>
      (
        await as<{ displayPlaylist: { items: { campaignId: string | null; url: string }[] } }>(
          `query($d: ID!) { displayPlaylist(displayId: $d) { items { campaignId url } } }`,
          { d: display },
        )
      ).displayPlaylist.items.find((i) => i.campaignId === createCampaign.id)?.url;
    await vi.waitFor(async () => expect(await playing()).toBe(firstUrl), { timeout: 20_000, interval: 200 });

    // The sync job is running once it has asked AEM with If-None-Match; then the change must land within its
    // interval plus 2 s (the job runner wakes each link of the chain when it is due, not at its next poll).
    await vi.waitFor(
      () => expect(aem.requests.some((r) => r.ifNoneMatch && r.url.startsWith('/adobe/contentFragments/'))).toBe(true),
      {
        timeout: 90_000,
        interval: 250,
      },
    );
    aem.fragment(offer('£14.99'));
    const changedAt = Date.now();
    await vi.waitFor(async () => expect(await playing()).not.toBe(firstUrl), {
      timeout: 30_000,
      interval: 100,
    });
    expect(Date.now() - changedAt).toBeLessThanOrEqual((SYNC_SECONDS + 2) * 1000);
    expect(await (await fetch((await playing())!)).text()).toContain('£14.99');
    // AEM down: the display keeps its copy.
    aem.mode = 'error500';
    const kept = await playing();
    await new Promise((resolve) => setTimeout(resolve, SYNC_SECONDS * 1000 + 500));
    expect(await playing()).toBe(kept);
    expect((await fetch(kept!)).status).toBe(200);
    aem.mode = 'ok';
  }, 180_000);
});
