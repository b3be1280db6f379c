import { requireViewer, Role } from '@phub/kit';
import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { AuthRequestContext } from '../../context.js';
import { TrustedDocument } from './trusted-document.entity.js';
import { RegisterTrustedDocumentsInput } from './trusted-document.input.js';
import { TrustedDocumentService } from './trusted-document.service.js';

@Resolver(() => TrustedDocument)
export class TrustedDocumentResolver {
  constructor(private readonly documents: TrustedDocumentService) {}

  @Authorized(Role.HQ_ADMIN)
  @Query(() => [TrustedDocument], { description: 'The operations a partner client may run, oldest first' })
  trustedDocuments(@Ctx() ctx: AuthRequestContext, @Arg('clientId', () => ID) clientId: string) {
    return this.documents.list(requireViewer(ctx), clientId);
  }

  @Authorized(Role.HQ_ADMIN)
  @Mutation(() => [TrustedDocument], {
    description:
      "Registers operations for a partner client (idempotent: CI may upload the client's whole manifest on every deploy)",
  })
  registerTrustedDocuments(
    @Ctx() ctx: AuthRequestContext,
    @Arg('input', () => RegisterTrustedDocumentsInput) input: RegisterTrustedDocumentsInput,
  ): Promise<TrustedDocument[]> {
    return this.documents.register(requireViewer(ctx), input, ctx.meta);
  }

  @Authorized(Role.HQ_ADMIN)
  @Mutation(() => Boolean, { description: 'Withdraws one operation from a client; false if it was not registered' })
  removeTrustedDocument(
    @Ctx() ctx: AuthRequestContext,
    @Arg('clientId', () => ID) clientId: string,
    @Arg('id', () => ID) id: string,
  ): Promise<boolean> {
    return this.documents.remove(requireViewer(ctx), clientId, id, ctx.meta);
  }
}
