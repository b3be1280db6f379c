import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuth, type AuthHarness } from './testing/harness.js';

let h: AuthHarness;
beforeAll(async () => {
  h = await startAuth();
});
afterAll(() => h?.stop());

describe('smoke', () => {
  it('logs in', async () => {
    const t = await h.login('hq@demo.test');
    expect(t.accessToken).toBeTruthy();
    const me = await h.gql('{ me { id email roles } viewer { kind roles tenantId } tenant { slug } }', {}, t.accessToken);
    console.warn(JSON.stringify(me));
    const bad = await h.gql('{ me { id } }', {}, 'garbage');
    console.warn(JSON.stringify(bad));
    const anon = await h.gql('{ me { id } }');
    console.warn(JSON.stringify(anon));
    const jwks = await fetch(`${h.baseUrl}/.well-known/jwks.json`).then((r) => r.json());
    console.warn(JSON.stringify(jwks));
  });
});
