import { requireViewer, Role } from '@phub/kit';
import { Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { AuthRequestContext } from '../../context.js';
import { SigningKey } from './signing-key.entity.js';
import { SigningKeyService } from './signing-key.service.js';

@Resolver(() => SigningKey)
export class SigningKeyResolver {
  constructor(private readonly keys: SigningKeyService) {}

  @Authorized(Role.HQ_ADMIN)
  @Query(() => [SigningKey], { description: 'Keys currently published in the JWKS, newest first' })
  signingKeys(): Promise<SigningKey[]> {
    return this.keys.list();
  }

  @Authorized(Role.HQ_ADMIN)
  @Mutation(() => SigningKey, {
    description: 'Starts signing with the next key now. Tokens signed earlier stay valid until they expire.',
  })
  rotateSigningKey(@Ctx() ctx: AuthRequestContext): Promise<SigningKey> {
    return this.keys.rotate('manual', { viewer: requireViewer(ctx), meta: ctx.meta });
  }
}
