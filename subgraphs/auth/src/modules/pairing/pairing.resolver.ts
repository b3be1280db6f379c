import { requireViewer, Role } from '@phub/kit';
import { Arg, Authorized, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import type { AuthRequestContext } from '../../context.js';
import { PairingKind, Pairing, PairingPoll, PairingRequest } from './pairing.entity.js';
import { PairingService } from './pairing.service.js';

@Resolver()
export class PairingResolver {
  constructor(private readonly pairing: PairingService) {}

  @Mutation(() => PairingRequest, {
    description: 'Called by a display player that has no credential yet: returns a code to show on screen',
  })
  requestPairingCode(@Ctx() ctx: AuthRequestContext): Promise<PairingRequest> {
    return this.pairing.request(ctx.meta);
  }

  @Authorized(Role.HQ_ADMIN, Role.HQ_EDITOR, Role.STORE_MANAGER, Role.STORE_STAFF)
  @Mutation(() => Pairing, {
    description: 'Binds the player showing `code` to a display (store roles: a display of one of their stores)',
  })
  claimPairingCode(
    @Ctx() ctx: AuthRequestContext,
    @Arg('code', () => String) code: string,
    @Arg('displayId', () => ID) displayId: string,
    @Arg('kind', () => PairingKind, {
      defaultValue: PairingKind.DISPLAY,
      description:
        'KIOSK: a store tablet where visitors take tickets and check in (the queue README says what it may do)',
    })
    kind: PairingKind,
  ): Promise<Pairing> {
    return this.pairing.claim(requireViewer(ctx), code, displayId, ctx.meta, kind);
  }

  @Mutation(() => PairingPoll, {
    description: 'Polled by the player with its code and secret; delivers its credential once the code is claimed',
  })
  pollPairing(
    @Ctx() ctx: AuthRequestContext,
    @Arg('code', () => String) code: string,
    @Arg('secret', () => String) secret: string,
  ): Promise<PairingPoll> {
    return this.pairing.poll(code, secret, ctx.meta);
  }

  @Authorized(Role.HQ_ADMIN, Role.HQ_EDITOR, Role.STORE_MANAGER)
  @Mutation(() => Int, { description: "Revokes the display player's credential at once; returns how many were live" })
  revokeDevice(@Ctx() ctx: AuthRequestContext, @Arg('displayId', () => ID) displayId: string): Promise<number> {
    return this.pairing.revokeDevice(requireViewer(ctx), displayId, ctx.meta);
  }
}
