import { ConnectionType, requireViewer, Role, Public } from '@phub/kit';
import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { AuthRequestContext } from '../../context.js';
import { ApiClient, ClientToken, CreateApiClientPayload } from './api-client.entity.js';
import {
  ApiClientsArgs,
  CreateApiClientInput,
  IssueClientTokenInput,
  SetApiClientScopesInput,
} from './api-client.input.js';
import { ApiClientService } from './api-client.service.js';

export const ApiClientConnection = ConnectionType(ApiClient, 'ApiClient');

@Resolver(() => ApiClient)
export class ApiClientResolver {
  constructor(private readonly clients: ApiClientService) {}

  @Authorized(Role.HQ_ADMIN)
  @Query(() => ApiClientConnection, { description: "Your tenant's partner API clients, by name" })
  apiClients(@Ctx() ctx: AuthRequestContext, @Args(() => ApiClientsArgs) args: ApiClientsArgs) {
    return this.clients.list(requireViewer(ctx), args);
  }

  @Authorized(Role.HQ_ADMIN)
  @Mutation(() => CreateApiClientPayload, {
    description: 'Creates a partner API client; its secret is shown only once',
  })
  createApiClient(
    @Ctx() ctx: AuthRequestContext,
    @Arg('input', () => CreateApiClientInput) input: CreateApiClientInput,
  ): Promise<CreateApiClientPayload> {
    return this.clients.create(requireViewer(ctx), input, ctx.meta);
  }

  @Authorized(Role.HQ_ADMIN)
  @Mutation(() => ApiClient, { description: "Replaces a client's scopes; its current tokens stop working" })
  setApiClientScopes(
    @Ctx() ctx: AuthRequestContext,
    @Arg('input', () => SetApiClientScopesInput) input: SetApiClientScopesInput,
  ): Promise<ApiClient> {
    return this.clients.setScopes(requireViewer(ctx), input, ctx.meta);
  }

  @Authorized(Role.HQ_ADMIN)
  @Mutation(() => ApiClient, { description: 'Revokes a client and every token it holds' })
  revokeApiClient(@Ctx() ctx: AuthRequestContext, @Arg('id', () => ID) id: string): Promise<ApiClient> {
    return this.clients.revoke(requireViewer(ctx), id, ctx.meta);
  }

  @Public()
  @Mutation(() => ClientToken, {
    description: 'OAuth2 client credentials over GraphQL (also served as POST /oauth/token)',
  })
  issueClientToken(
    @Ctx() ctx: AuthRequestContext,
    @Arg('input', () => IssueClientTokenInput) input: IssueClientTokenInput,
  ): Promise<ClientToken> {
    return this.clients.issueToken(input.clientId, input.clientSecret, input.scope, ctx.meta);
  }
}
