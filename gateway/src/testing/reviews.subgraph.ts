import { buildFederatedSchema } from '@phub/kit';
import { Arg, Ctx, Directive, Field, FieldResolver, ID, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { delay, type EchoContext } from './test-subgraph.js';

/** The reviews subgraph's view of `Product`: only the key, plus what it adds. */
@ObjectType('Product')
@Directive('@key(fields: "id")')
export class ReviewedProduct {
  @Field(() => ID)
  id: string;
}

@ObjectType()
export class Review {
  @Field(() => String)
  body: string;

  @Field(() => Int)
  stars: number;

  /** Back to the products subgraph, so a selection can hop subgraphs twice. */
  @Field(() => ReviewedProduct)
  product: ReviewedProduct;
}

const REVIEWS: Record<string, Review[]> = {
  p1: [{ body: 'Bright', stars: 5, product: { id: 'p1' } }],
  p2: [{ body: 'Too small', stars: 2, product: { id: 'p2' } }],
};

@Resolver(() => ReviewedProduct)
class ReviewResolver {
  @Query(() => Int)
  reviewCount(): number {
    return Object.values(REVIEWS).flat().length;
  }

  // Nullable, so a failing reviews subgraph leaves the product's own fields intact.
  @FieldResolver(() => [Review], { nullable: true })
  reviews(@Root() product: ReviewedProduct): Review[] {
    return REVIEWS[product.id] ?? [];
  }

  @FieldResolver(() => String, { nullable: true, description: 'Echoes the authorization this subgraph received' })
  reviewsAuthorization(@Ctx() ctx: EchoContext): string | undefined {
    return ctx.headers.authorization;
  }

  @FieldResolver(() => [Review], { nullable: true, description: 'Like `reviews`, after `ms` milliseconds' })
  async slowReviews(@Root() product: ReviewedProduct, @Arg('ms', () => Int) ms: number): Promise<Review[]> {
    await delay(ms);
    return REVIEWS[product.id] ?? [];
  }
}

export function buildReviewsSchema() {
  return buildFederatedSchema(
    // Reached only through `_entities`, so type-graphql must be told to keep it.
    { resolvers: [ReviewResolver], orphanedTypes: [ReviewedProduct] },
    { Product: { __resolveReference: (ref: { id: string }) => ({ id: ref.id }) } },
  );
}
