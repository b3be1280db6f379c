// The public federation gateways benchmark's four subgraphs (accounts, inventory, products, reviews): their SDL, their
// data, the one query its load generator sends, and the answer that query must get, worked out from the data alone
// (no GraphQL engine), so every gateway is checked against the same independent expectation.
//
// Schema and data follow the benchmark's subgraphs (graphql-hive/graphql-gateways-benchmark, Federation 1 style SDL);
// its supergraph composes from them. Its quirks are kept on purpose, since the answer must be the same bytes:
// - inventory's entity resolver reads only `upc`, so `shippingEstimate` (which @requires price and weight) never
//   sees them and is always null;
// - every `Review.author` is user 1 ("urigo", provided by reviews), and every user's `reviews` are reviews 1 and 2.

export interface User {
  id: string;
  name: string;
  username: string;
  birthday: number;
}
export interface Product {
  upc: string;
  name: string;
  price: number;
  weight: number;
}
export interface Review {
  id: string;
  body: string;
  productUpc: string;
}

export const USERS: readonly User[] = [
  ['1', 'Uri Goldshtein', 'urigo'],
  ['2', 'Dotan Simha', 'dotansimha'],
  ['3', 'Kamil Kisiela', 'kamilkisiela'],
  ['4', 'Arda Tanrikulu', 'ardatan'],
  ['5', 'Gil Gardosh', 'gilgardosh'],
  ['6', 'Laurin Quast', 'laurin'],
].map(([id, name, username]) => ({ id: id!, name: name!, username: username!, birthday: 1234567890 }));

export const PRODUCTS: readonly Product[] = (
  [
    ['1', 'Table', 899, 100],
    ['2', 'Couch', 1299, 1000],
    ['3', 'Glass', 15, 20],
    ['4', 'Chair', 499, 100],
    ['5', 'TV', 1299, 1000],
    ['6', 'Lamp', 6999, 300],
    ['7', 'Grill', 3999, 2000],
    ['8', 'Fridge', 100000, 6000],
    ['9', 'Sofa', 9999, 800],
  ] as const
).map(([upc, name, price, weight]) => ({ upc, name, price, weight }));

/** inventory's `inStock` per upc (1 to 9). */
export const IN_STOCK: Readonly<Record<string, boolean>> = Object.fromEntries(
  [true, false, false, false, true, true, true, false, true].map((inStock, i) => [String(i + 1), inStock]),
);

const LOREM =
  'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore ' +
  'magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo ' +
  'consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. ' +
  'Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum.';
const SED_UT =
  'Sed ut perspiciatis unde omnis iste natus error sit voluptatem accusantium doloremque laudantium, totam rem ' +
  'aperiam, eaque ipsa quae ab illo inventore veritatis et quasi architecto beatae vitae dicta sunt explicabo. Nemo ' +
  'enim ipsam voluptatem quia voluptas sit aspernatur aut odit aut fugi';
const SED_QUIA =
  'sed quia consequuntur magni dolores eos qui ratione voluptatem sequi nesciunt. Neque porro quisquam est, qui ' +
  'dolorem ipsum quia dolor sit amet, consectetur, adipisci velit, sed quia non numquam eius modi tempora incidunt ' +
  'ut labore et dolore magnam aliquam quaerat voluptatem.';
const UT_ENIM =
  'Ut enim ad minima veniam, quis nostrum exercitationem ullam corporis suscipit laboriosam, nisi ut aliquid ex ea ' +
  'commodi consequatur? Quis autem';
const AT_VERO =
  'At vero eos et accusamus et iusto odio dignissimos ducimus qui blanditiis praesentium voluptatum deleniti atque ' +
  'corrupti quos dolores et quas molestias excepturi sint occaecati cupiditate non provident, similique sunt in culpa ' +
  'qui officia deserunt mollitia animi, id est laborum et dolorum fuga. Et harum quidem rerum facilis est et expedita ' +
  'distinctio. Nam libero tempore, cum soluta nobis est eligendi optio cumque nihil impedit quo minus id quod maxime ' +
  'placeat facere possimus, omnis voluptas assumenda est, omnis dolor repellendus. Temporibus autem quibusdam et aut ' +
  'officiis debitis aut rerum necessitatibus saepe eveniet ut et voluptates repudiandae sint et molestiae non ' +
  'recusandae. Itaque earum rerum hic tenetur a sapiente delectus, ut aut reiciendis voluptatibus maiores alias ' +
  'consequatur aut perferendis doloribus asperiores repellat.';

export const REVIEWS: readonly Review[] = (
  [
    [LOREM, '1'],
    [SED_UT, '1'],
    [SED_QUIA, '1'],
    [UT_ENIM, '1'],
    [LOREM, '2'],
    [SED_UT, '2'],
    [SED_QUIA, '2'],
    [UT_ENIM, '2'],
    [UT_ENIM, '3'],
    [UT_ENIM, '4'],
    [AT_VERO, '4'],
  ] as const
).map(([body, productUpc], i) => ({ id: String(i + 1), body, productUpc }));

/** What reviews answers for any user's `reviews` (the benchmark's subgraph returns the first two, whoever asks). */
export const USER_REVIEWS = REVIEWS.slice(0, 2);

/** Subgraph SDL, Federation 1 style as the benchmark's subgraphs publish it. */
export const SDL = {
  accounts: /* GraphQL */ `
    extend type Query {
      me: User
      user(id: ID!): User
      users: [User]
    }
    type User @key(fields: "id") {
      id: ID!
      name: String
      username: String
      birthday: Int
    }
  `,
  inventory: /* GraphQL */ `
    extend type Product @key(fields: "upc") {
      upc: String! @external
      weight: Int @external
      price: Int @external
      inStock: Boolean
      shippingEstimate: Int @requires(fields: "price weight")
    }
  `,
  products: /* GraphQL */ `
    extend type Query {
      topProducts(first: Int = 5): [Product]
    }
    type Product @key(fields: "upc") {
      upc: String!
      name: String
      price: Int
      weight: Int
    }
  `,
  reviews: /* GraphQL */ `
    type Review @key(fields: "id") {
      id: ID!
      body: String
      product: Product
      author: User @provides(fields: "username")
    }
    extend type User @key(fields: "id") {
      id: ID! @external
      username: String @external
      reviews: [Review]
    }
    extend type Product @key(fields: "upc") {
      upc: String! @external
      reviews: [Review]
    }
  `,
} as const;

export type SubgraphName = keyof typeof SDL;
export const SUBGRAPH_NAMES = Object.keys(SDL) as SubgraphName[];

/** The benchmark's query, as its k6 script sends it (fragments, operation `TestQuery`). */
export const QUERY = `fragment User on User {
  id
  username
  name
}

fragment Review on Review {
  id
  body
}

fragment Product on Product {
  inStock
  name
  price
  shippingEstimate
  upc
  weight
}

query TestQuery {
  users {
    ...User
    reviews {
      ...Review
      product {
        ...Product
        reviews {
          ...Review
          author {
            ...User
            reviews {
              ...Review
              product {
                ...Product
              }
            }
          }
        }
      }
    }
  }
  topProducts {
    ...Product
    reviews {
      ...Review
      author {
        ...User
        reviews {
          ...Review
          product {
            ...Product
          }
        }
      }
    }
  }
}`;

/** The answer to QUERY, built from the data above in the query's field order (the order a gateway writes). */
export function expectedAnswer(): string {
  const userFields = (u: User) => ({ id: u.id, username: u.username, name: u.name });
  const productFields = (p: Product) => ({
    inStock: IN_STOCK[p.upc]!,
    name: p.name,
    price: p.price,
    shippingEstimate: null,
    upc: p.upc,
    weight: p.weight,
  });
  const product = (upc: string) => PRODUCTS.find((p) => p.upc === upc)!;
  const reviewFields = (r: Review) => ({ id: r.id, body: r.body });
  const reviewsOf = (upc: string) => REVIEWS.filter((r) => r.productUpc === upc);
  const author = {
    // Username provided by reviews ("urigo"), name from accounts: user 1 either way.
    ...userFields(USERS[0]!),
    reviews: USER_REVIEWS.map((r) => ({ ...reviewFields(r), product: productFields(product(r.productUpc)) })),
  };
  const data = {
    users: USERS.map((u) => ({
      ...userFields(u),
      reviews: USER_REVIEWS.map((r) => ({
        ...reviewFields(r),
        product: {
          ...productFields(product(r.productUpc)),
          reviews: reviewsOf(r.productUpc).map((pr) => ({ ...reviewFields(pr), author })),
        },
      })),
    })),
    topProducts: PRODUCTS.slice(0, 5).map((p) => ({
      ...productFields(p),
      reviews: reviewsOf(p.upc).map((r) => ({ ...reviewFields(r), author })),
    })),
  };
  return JSON.stringify({ data });
}
