import { buildFederatedSchema } from '@phub/kit';
import { Arg, Ctx, Directive, Field, FieldResolver, ID, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { delay, type EchoContext } from './test-subgraph.js';

@ObjectType()
@Directive('@key(fields: "id")')
export class Product {
  @Field(() => ID)
  id: string;

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
}

export const PRODUCTS: Product[] = [
  { id: 'p1', name: 'Poster', sku: 'SKU-1' },
  { id: 'p2', name: 'Screen', sku: 'SKU-2' },
];

@Resolver(() => Product)
class ProductResolver {
  @Query(() => [Product])
  products(): Product[] {
    return PRODUCTS;
  }

  /** Recursive, so tests can build queries of any depth. */
  @FieldResolver(() => [Product])
  related(): Product[] {
    return PRODUCTS;
  }

  @Query(() => RequestHeaders, { description: 'Echoes what the gateway forwarded' })
  requestHeaders(@Ctx() ctx: EchoContext): RequestHeaders {
    return { authorization: ctx.headers.authorization, requestId: ctx.headers['x-request-id'] };
  }

  @Query(() => String, { description: 'Answers after `ms` milliseconds' })
  async slowProducts(@Arg('ms', () => Int) ms: number): Promise<string> {
    await delay(ms);
    return 'done';
  }
}

export function buildProductsSchema() {
  return buildFederatedSchema(
    { resolvers: [ProductResolver] },
    { Product: { __resolveReference: (ref: { id: string }) => PRODUCTS.find((p) => p.id === ref.id) } },
  );
}
