import { buildFederatedSchema, Public } from '@phub/kit';
import {
  Arg,
  Ctx,
  Directive,
  Field,
  FieldResolver,
  Float,
  ID,
  Int,
  ObjectType,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import { productFeed, type ProductChangeEvent } from './product-feed.js';
import { delay, type EchoContext } from './test-subgraph.js';

@ObjectType()
@Directive('@key(fields: "id")')
export class Product {
  @Public()
  @Field(() => ID)
  id: string;

  @Public()
  @Field(() => String)
  name: string;

  /** Left out of the first composition by the reload test, then added. */
  @Field(() => String)
  sku: string;
}

@ObjectType()
export class RequestHeaders {
  @Field(() => String, { nullable: true })
  authorization?: string;

  @Field(() => String, { nullable: true })
  requestId?: string;

  @Field(() => String, { nullable: true })
  forwardedFor?: string;
}

/** A subscription payload that references an entity other subgraphs add fields to. */
@Public()
@ObjectType()
export class ProductChange {
  @Field(() => Int)
  version: number;

  @Field(() => String, { nullable: true })
  note?: string;

  @Field(() => Float, { nullable: true, description: 'Epoch milliseconds when the change was published' })
  publishedAt?: number;

  @Field(() => Product)
  product: Product;

  @Field(() => String, { nullable: true, description: 'The authorization the subscription connection carried' })
  authorization?: string;
}

export const PRODUCTS: Product[] = [
  { id: 'p1', name: 'Poster', sku: 'SKU-1' },
  { id: 'p2', name: 'Screen', sku: 'SKU-2' },
];

@Resolver(() => Product)
class ProductResolver {
  @Public()
  @Subscription(() => ProductChange, {
    subscribe: ({ args }) => productFeed.subscribe((args as { id: string }).id),
    description: 'Changes of one product, from `productFeed`',
  })
  productChanged(
    @Arg('id', () => ID) id: string,
    @Root() change: ProductChangeEvent,
    @Ctx() ctx: EchoContext,
  ): ProductChange {
    const authorization = ctx.connectionParams?.authorization;
    return {
      version: change.version,
      note: change.note,
      publishedAt: change.publishedAt,
      product: PRODUCTS.find((p) => p.id === id) ?? { id, name: 'Unknown', sku: '' },
      authorization: typeof authorization === 'string' ? authorization : undefined,
    };
  }

  @Public()
  @Query(() => [Product])
  products(): Product[] {
    return PRODUCTS;
  }

  @Public()
  /** Recursive, so tests can build queries of any depth. */
  @FieldResolver(() => [Product])
  related(): Product[] {
    return PRODUCTS;
  }

  @Query(() => RequestHeaders, { description: 'Echoes what the gateway forwarded' })
  requestHeaders(@Ctx() ctx: EchoContext): RequestHeaders {
    return {
      authorization: ctx.headers.authorization,
      requestId: ctx.headers['x-request-id'],
      forwardedFor: ctx.headers['x-forwarded-for'],
    };
  }

  @Query(() => String, { description: 'Answers after `ms` milliseconds' })
  async slowProducts(@Arg('ms', () => Int) ms: number): Promise<string> {
    await delay(ms);
    return 'done';
  }
}

export function buildProductsSchema() {
  return buildFederatedSchema(
    { resolvers: [ProductResolver], pubSub: productFeed.pubsub },
    { Product: { __resolveReference: (ref: { id: string }) => PRODUCTS.find((p) => p.id === ref.id) } },
  );
}
