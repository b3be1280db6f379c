import { createHash } from 'node:crypto';
import { waitFor } from '@phub/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AemServer } from '../../testing/aem-server.js';
import {
  addBearerSource,
  collectRenditions,
  requestAemCreative,
  startContent,
  type ContentHarness,
} from '../../testing/harness.js';
import { AemCreativeService } from './creative.service.js';
import { renderFragment } from './creative.template.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex');
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

describe(AemCreativeService.name, () => {
  let h: ContentHarness;
  let aem: AemServer;
  let sourceId: string;
  let renditions: Awaited<ReturnType<typeof collectRenditions>>;
  const service = () => h.service.creatives()!;
  const of = (creativeId: string) => renditions.of(creativeId);

  beforeAll(async () => {
    aem = await AemServer.start({ kind: 'bearer', token: 'aemaacs-token' });
    aem.asset('/content/dam/phub/hero.png', 'Hero', { original: { bytes: PNG, mimeType: 'image/png' } });
    aem.fragment({
      id: 'cf-spring',
      path: '/content/dam/phub/offers/spring',
      title: 'Spring',
      modelId: 'offer',
      fields: {
        headline: 'Spring <sale>',
        body: 'This week only',
        price: '£19.99',
        image: 'https://cdn.example/spring.jpg',
      },
    });
    h = await startContent();
    sourceId = await addBearerSource(h, aem.url);
    renditions = await collectRenditions(h);
  });
  afterAll(async () => {
    await renditions?.close();
    await h?.stop();
    await aem?.close();
  });

  const request = (aemPath: string, template: 'HEADLINE_BODY_IMAGE_PRICE' | null = null) =>
    requestAemCreative(h, { sourceId, aemPath, template });

  it('copies an asset’s original rendition when campaign asks (the bus), served by its checksum', async () => {
    const creativeId = await request('/content/dam/phub/hero.png');
    const [event] = await waitFor(() => (of(creativeId).length ? of(creativeId) : null));
    expect(event).toMatchObject({
      version: 1,
      mimeType: 'image/png',
      checksum: sha(PNG),
      sizeBytes: PNG.length,
      failure: null,
    });
    const res = await fetch(event!.url!);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);
    expect(aem.requests.some((r) => r.url === '/content/dam/phub/hero.png/_jcr_content/renditions/original')).toBe(
      true,
    );
  });

  it('renders a content fragment by its template, escaping every field', async () => {
    const creativeId = await request('/content/dam/phub/offers/spring', 'HEADLINE_BODY_IMAGE_PRICE');
    const [event] = await waitFor(() => (of(creativeId).length ? of(creativeId) : null));
    expect(event).toMatchObject({ version: 1, mimeType: 'text/html', failure: null });
    const html = await (await fetch(event!.url!)).text();
    expect(sha(html)).toBe(event!.checksum);
    expect(html).toContain('<h1>Spring &lt;sale&gt;</h1>');
    expect(html).toContain('£19.99');
    expect(html).toContain('src="https://cdn.example/spring.jpg"');
    expect(html).not.toContain('<script');
  });

  it('follows changes by ETag: unchanged content costs a 304, a changed fragment becomes version 2', async () => {
    const creativeId = await request('/content/dam/phub/offers/spring', 'HEADLINE_BODY_IMAGE_PRICE');
    await waitFor(() => of(creativeId).length === 1);
    const binding = (await service().due(1000)).find((b) => b.creativeId === creativeId)!;
    expect(await service().refresh(binding)).toBe('unchanged');
    expect(aem.requests.at(-1)).toMatchObject({ url: '/adobe/contentFragments/cf-spring', ifNoneMatch: binding.etag });
    aem.fragment({
      id: 'cf-spring',
      path: '/content/dam/phub/offers/spring',
      title: 'Spring',
      modelId: 'offer',
      fields: { headline: 'Spring sale', body: 'Extended!', price: '£14.99' },
    });
    const again = (await service().due(1000)).find((b) => b.creativeId === creativeId)!;
    expect(await service().refresh(again)).toBe('copied');
    const second = await waitFor(() => of(creativeId).find((e) => e.version === 2));
    expect(await (await fetch(second.url!)).text()).toContain('£14.99');
    expect(second.checksum).not.toBe(of(creativeId)[0]!.checksum);
  });

  it('keeps the last copy when AEM fails: the failure is on the creative and in the source’s health', async () => {
    const creativeId = await request('/content/dam/phub/hero.png');
    const [first] = await waitFor(() => (of(creativeId).length ? of(creativeId) : null));
    aem.mode = 'error500';
    try {
      const binding = (await service().due(1000)).find((b) => b.creativeId === creativeId)!;
      expect(await service().refresh(binding)).toBe('failed');
    } finally {
      aem.mode = 'ok';
    }
    const { rows } = await h.db.query(`SELECT failure, version FROM content.aem_creative WHERE creative_id = $1`, [
      creativeId,
    ]);
    expect(rows[0]).toMatchObject({ version: 1, failure: expect.stringContaining('SERVER_ERROR') });
    expect((await fetch(first!.url!)).status).toBe(200);
    expect(of(creativeId)).toHaveLength(1);
    const health = await h.as<{ contentSource: { health: { lastErrorCode: string } } }>(
      'hqAdmin',
      'query($id: ID!) { contentSource(id: $id) { health { lastErrorCode } } }',
      { id: sourceId },
    );
    expect(health.contentSource.health.lastErrorCode).toBe('SERVER_ERROR');
  });

  it('announces a path AEM does not have as a failure, so campaign can mark the creative FAILED', async () => {
    const creativeId = await request('/content/dam/phub/missing.png');
    const [event] = await waitFor(() => (of(creativeId).length ? of(creativeId) : null));
    expect(event).toMatchObject({ version: 1, url: null, checksum: null, failure: expect.stringContaining('404') });
  });

  it('renders missing fields away and drops an image that is not https', () => {
    const html = renderFragment({ headline: 'Only a headline', image: '/content/dam/author-only.png' });
    expect(html).toContain('<h1>Only a headline</h1>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('class="price"');
  });
});
