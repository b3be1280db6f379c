import { printSchema, Supergraph } from '@apollo/federation-internals';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { composePublicContract } from './public-contract.js';

const LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@tag", "@inaccessible", "@shareable"])`;
const service = (name: string, sdl: string) => ({ name, url: `http://${name}`, typeDefs: parse(`${LINK}\n${sdl}`) });

const STORES = service(
  'stores',
  `
  type Query {
    stores(first: Int, filter: StoreFilter): StoreConnection! @tag(name: "public")
    internalReport: Report!
  }
  input StoreFilter { search: String kind: StoreKind }
  enum StoreKind { RETAIL BRANCH }
  type StoreConnection { edges: [StoreEdge!]! pageInfo: PageInfo! }
  type StoreEdge { node: Store! cursor: String! }
  type PageInfo @shareable { hasNextPage: Boolean! }
  type Store @key(fields: "id") {
    id: ID! @tag(name: "public")
    name: String! @tag(name: "public")
    managerEmail: String!
  }
  type Report { secret: String! }
`,
);
const CAMPAIGNS = service(
  'campaigns',
  `
  type Store @key(fields: "id") { id: ID! campaigns: [Campaign!]! @tag(name: "public") }
  type Campaign @tag(name: "public") { id: ID! name: String! }
`,
);

const apiSchema = (supergraphSdl: string) => printSchema(Supergraph.build(supergraphSdl).apiSchema());

describe(composePublicContract.name, () => {
  it('keeps tagged fields and types, with their arguments, inputs, enums and pagination wrappers', async () => {
    const { supergraphSdl, errors } = await composePublicContract([STORES, CAMPAIGNS]);
    expect(errors).toBeUndefined();
    const api = apiSchema(supergraphSdl!);
    expect(api).toContain('stores(first: Int, filter: StoreFilter): StoreConnection!');
    expect(api).toMatch(/input StoreFilter \{\s+search: String\s+kind: StoreKind\s+\}/);
    expect(api).toMatch(/enum StoreKind \{\s+RETAIL\s+BRANCH\s+\}/);
    expect(api).toMatch(/type Store \{\s+id: ID!\s+campaigns: \[Campaign!\]!\s+name: String!\s+\}/);
    expect(api).toMatch(/type Campaign \{\s+id: ID!\s+name: String!\s+\}/);
    expect(api).toContain('type StoreEdge');
  });

  it('hides untagged fields and the types only they reach', async () => {
    const api = apiSchema((await composePublicContract([STORES, CAMPAIGNS])).supergraphSdl!);
    expect(api).not.toContain('managerEmail');
    expect(api).not.toContain('internalReport');
    expect(api).not.toContain('Report');
    expect(api).not.toContain('secret');
  });

  it('keeps what plans need: the contract is a supergraph of the same subgraphs and keys', async () => {
    const sdl = (await composePublicContract([STORES, CAMPAIGNS])).supergraphSdl!;
    expect(sdl).toContain('@join__graph(name: "campaigns", url: "http://campaigns")');
    expect(sdl).toMatch(/type Store\s+@join__type\(graph: CAMPAIGNS, key: "id"\)/);
    // The full type is still there for planning, marked inaccessible.
    expect(sdl).toMatch(/managerEmail: String! @join__field\(graph: STORES\) @inaccessible/);
  });

  it('refuses a public field whose object type nobody tagged, naming both', async () => {
    const untagged = service(
      'stores',
      `
      type Query { report: Report! @tag(name: "public") }
      type Report { secret: String! }
    `,
    );
    expect((await composePublicContract([untagged])).errors).toEqual([
      expect.stringContaining('Type "Report" is @inaccessible but is referenced by "Query.report"'),
    ]);
  });
});
