import { requireViewer, Public } from '@phub/kit';
import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { AuthRequestContext } from '../../context.js';
import { discloseToOwner } from '../user/user.visibility.js';
import { AuthPayload, ViewerInfo } from './session.entity.js';
import { AcceptInvitationInput } from './session.input.js';
import { SessionService } from './session.service.js';

/** The signed-in person reads their own fields in the answer, before any token of theirs is sent. */
function disclosed<T extends { user: AuthPayload['user'] }>(ctx: AuthRequestContext, issued: T): T {
  discloseToOwner(ctx, issued.user);
  return issued;
}

@Resolver(() => AuthPayload)
export class SessionResolver {
  constructor(private readonly sessions: SessionService) {}

  @Public()
  @Authorized()
  @Query(() => ViewerInfo, { description: 'What your access token grants: people, partners and display players alike' })
  viewer(@Ctx() ctx: AuthRequestContext): ViewerInfo {
    const v = requireViewer(ctx);
    return {
      kind: v.kind,
      subject: v.subject,
      tenantId: v.tenantId,
      roles: v.roles,
      storeIds: v.storeIds,
      displayId: v.displayId ?? null,
      scopes: v.scopes,
      sessionId: v.sessionId ?? null,
      expiresAt: new Date(v.expiresAt * 1000),
    };
  }

  @Mutation(() => AuthPayload, {
    description: 'Signs a person in. Failed attempts are limited per account and per network address (RATE_LIMITED).',
  })
  login(
    @Ctx() ctx: AuthRequestContext,
    @Arg('email', () => String) email: string,
    @Arg('password', () => String) password: string,
  ): Promise<AuthPayload> {
    return this.sessions
      .login(email.slice(0, 254), password.slice(0, 1024), ctx.meta)
      .then((issued) => disclosed(ctx, issued));
  }

  @Mutation(() => AuthPayload, {
    description:
      'Exchanges a refresh token (of a person or a display player) for new tokens. Each refresh token works once; ' +
      'using one twice revokes its whole session.',
  })
  refreshToken(
    @Ctx() ctx: AuthRequestContext,
    @Arg('refreshToken', () => String) refreshToken: string,
  ): Promise<AuthPayload> {
    return this.sessions.refresh(refreshToken.slice(0, 200), ctx.meta).then((issued) => disclosed(ctx, issued));
  }

  @Authorized()
  @Mutation(() => Boolean, {
    description: 'Ends the current session for every subgraph at once; `everywhere` ends all your sessions',
  })
  logout(
    @Ctx() ctx: AuthRequestContext,
    @Arg('everywhere', () => Boolean, { defaultValue: false }) everywhere: boolean,
  ): Promise<boolean> {
    return this.sessions.logout(requireViewer(ctx), everywhere, ctx.meta);
  }

  @Mutation(() => AuthPayload, { description: 'Sets the first password of an invited person and signs them in' })
  acceptInvitation(
    @Ctx() ctx: AuthRequestContext,
    @Arg('input', () => AcceptInvitationInput) input: AcceptInvitationInput,
  ): Promise<AuthPayload> {
    return this.sessions.acceptInvitation(input, ctx.meta).then((issued) => disclosed(ctx, issued));
  }
}
