import { describe, expect, it } from 'vitest';
import { parseKinds, snippetParts } from './search-text';

describe(parseKinds.name, () => {
  it.each([
    [null, []],
    ['', []],
    ['CAMPAIGN', ['CAMPAIGN']],
    ['CAMPAIGN, AEM_CONTENT,nope', ['CAMPAIGN', 'AEM_CONTENT']],
  ])('%j → %j', (param, kinds) => expect(parseKinds(param)).toEqual(kinds));
});

describe(snippetParts.name, () => {
  it('marks the matched words', () => {
    expect(snippetParts('Two «flat» «whites» for one')).toEqual([
      { text: 'Two ', match: false },
      { text: 'flat', match: true },
      { text: ' ', match: false },
      { text: 'whites', match: true },
      { text: ' for one', match: false },
    ]);
  });
  it('leaves text without marks whole', () => {
    expect(snippetParts('no match here')).toEqual([{ text: 'no match here', match: false }]);
  });
});
