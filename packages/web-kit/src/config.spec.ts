import { describe, expect, it } from 'vitest';
import { graphqlUrl, graphqlWsUrl } from './config';

const win = (href: string, injected?: string) => ({
  location: new URL(href) as unknown as Location,
  PHUB_GRAPHQL_URL: injected,
});

describe(graphqlUrl.name, () => {
  it('uses /graphql on the page’s origin by default', () => {
    expect(graphqlUrl(win('http://localhost:4000/hq/campaigns'))).toBe('http://localhost:4000/graphql');
  });

  it('uses the URL a CDN deployment injects', () => {
    expect(graphqlUrl(win('https://cdn.example/hq/', 'https://api.example/graphql'))).toBe(
      'https://api.example/graphql',
    );
  });
});

describe(graphqlWsUrl.name, () => {
  it.each([
    ['http://localhost:4000/graphql', 'ws://localhost:4000/graphql'],
    ['https://api.example/graphql', 'wss://api.example/graphql'],
  ])('%s → %s', (http, ws) => expect(graphqlWsUrl(http)).toBe(ws));
});
