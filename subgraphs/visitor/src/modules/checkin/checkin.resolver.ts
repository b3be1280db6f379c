import { Public } from '@phub/kit';
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { VisitorContext } from '../../context.js';
import { CHECK_IN_WRITERS, STORE_PEOPLE } from '../../roles.js';
import { Visit, VisitorCard, VisitorCheckInReceipt } from './checkin.entity.js';
import { CheckInVisitorInput, VisitorNoteInput } from './checkin.input.js';
import type { CheckInService } from './checkin.service.js';

/** A check-in with its card resolved in the same pass (one unseal per visitor, one audit per card). */
type CheckInRow = Visit & { card?: VisitorCard | null };

@Resolver(() => Visit)
export class CheckInResolver {
  constructor(private readonly checkIns: CheckInService) {}

  @Public()
  @Authorized(...CHECK_IN_WRITERS)
  @Mutation(() => VisitorCheckInReceipt, {
    description:
      'A visitor checks in (desk, kiosk, booking, queue ticket): recognised or created by identifier, merged when ' +
      'identifiers of two profiles meet; with PERSONALISED_SCREENS consent their segments reach the store’s screens',
  })
  checkInVisitor(
    @Ctx() ctx: VisitorContext,
    @Arg('input', () => CheckInVisitorInput) input: CheckInVisitorInput,
  ): Promise<VisitorCheckInReceipt> {
    return this.checkIns.checkIn(ctx.scope, input);
  }

  @Authorized(...STORE_PEOPLE)
  @Query(() => [Visit], {
    description: 'The store’s recent check-ins, for its own staff; cards only for visitors who consent (audited)',
  })
  async visitorCheckIns(@Ctx() ctx: VisitorContext, @Arg('storeId', () => ID) storeId: string): Promise<CheckInRow[]> {
    const rows = await this.checkIns.recent(ctx.scope, storeId);
    return rows.map(({ visit, card }) => Object.assign(visit, { card }));
  }

  @Authorized(...STORE_PEOPLE)
  @Mutation(() => Visit, { description: 'A staff note on a consenting visitor, shown on their next check-in cards' })
  async addVisitorNote(
    @Ctx() ctx: VisitorContext,
    @Arg('input', () => VisitorNoteInput) input: VisitorNoteInput,
  ): Promise<CheckInRow> {
    const { visit, card } = await this.checkIns.addNote(ctx.scope, input);
    return Object.assign(visit, { card });
  }

  @FieldResolver(() => VisitorCard, { nullable: true, description: 'Null unless the visitor consents' })
  card(@Root() v: CheckInRow): VisitorCard | null {
    return v.card ?? null;
  }
}
