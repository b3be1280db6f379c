import { ConnectionType, filter, pipe, prepend, requireRole, Role } from '@phub/kit';
import {
  Arg,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  InputType,
  Field,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import type { PlaybackContext } from '../../context.js';
import { ACKNOWLEDGERS, asGraphQLError } from '../../roles.js';
import { DisplayCommand, DisplayCommandKind, DisplayCommandState } from './command.entity.js';
import { type CommandPayload, commandChannel, type DisplayCommandService } from './command.service.js';

const DisplayCommandConnection = ConnectionType(DisplayCommand, 'DisplayCommand');

@InputType({ description: 'A display’s answer to a command' })
export class DisplayCommandAnswer {
  @Field(() => String, {
    nullable: true,
    description: 'For SCREENSHOT: the picture as a data: URL (image/jpeg, image/png or image/webp, base64)',
  })
  screenshot?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Set when the display could not do it: why (the command FAILED)',
  })
  error?: string | null;
}

@Resolver(() => DisplayCommand)
export class DisplayCommandResolver {
  constructor(private readonly service: DisplayCommandService) {}

  @Authorized(...ACKNOWLEDGERS)
  @Mutation(() => DisplayCommand, {
    description:
      'Asks a display to reload, clear its cache, show its name or send a screenshot. RELOAD and CLEAR_CACHE: HQ ' +
      'admins and editors, store managers of its store; IDENTIFY and SCREENSHOT: store staff too. A second request ' +
      'of a kind still pending returns the pending one',
  })
  sendDisplayCommand(
    @Ctx() ctx: PlaybackContext,
    @Arg('displayId', () => ID) displayId: string,
    @Arg('kind', () => DisplayCommandKind) kind: DisplayCommandKind,
  ): Promise<DisplayCommand> {
    return this.service.send(ctx.scope, displayId, kind);
  }

  @Authorized(Role.DEVICE)
  @Mutation(() => DisplayCommand, { description: 'The display’s answer to one of its commands (the display only)' })
  answerDisplayCommand(
    @Ctx() ctx: PlaybackContext,
    @Arg('id', () => ID) id: string,
    @Arg('answer', () => DisplayCommandAnswer) answer: DisplayCommandAnswer,
  ): Promise<DisplayCommand> {
    return this.service.complete(ctx.scope, id, answer);
  }

  @Authorized(...ACKNOWLEDGERS)
  @Query(() => DisplayCommandConnection, { description: 'A display’s commands, newest first' })
  displayCommands(
    @Ctx() ctx: PlaybackContext,
    @Arg('displayId', () => ID) displayId: string,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    return this.service.list(ctx.scope, displayId, first, after);
  }

  @Subscription(() => DisplayCommand, {
    description:
      'The commands of a display, for its player (the display’s own token only): first those still pending, then ' +
      'each as it is sent',
    subscribe: async ({ args, context }) => {
      const ctx = context as PlaybackContext;
      try {
        requireRole(ctx, Role.DEVICE);
        const displayId = String(args.displayId);
        // Listen before reading what is pending, so nothing falls between the two; a command in both comes once.
        const live = ctx.pubsub.subscribe(
          commandChannel(ctx.scope.tenantId, displayId),
        ) as AsyncIterable<CommandPayload>;
        const pending = await ctx.commands.pendingFor(ctx.scope, displayId);
        const seen = new Set(pending.map((p) => p.id));
        return prepend(
          pending,
          pipe(
            live,
            filter((p: CommandPayload) => !seen.has(p.id)),
          ),
        );
      } catch (err) {
        throw asGraphQLError(err);
      }
    },
  })
  displayCommandSent(@Root() p: CommandPayload, @Arg('displayId', () => ID) _displayId: string): DisplayCommand {
    return Object.assign(new DisplayCommand(), {
      ...p,
      issuedAt: new Date(p.issuedAt),
      expiresAt: new Date(p.expiresAt),
      completedAt: null,
      error: null,
      image: null,
      imageType: null,
    });
  }

  @FieldResolver(() => DisplayCommandState, { name: 'state' })
  stateNow(@Root() c: DisplayCommand): DisplayCommandState {
    return this.service.stateOf(c);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'What the display showed, as a data: URL (a SCREENSHOT that is DONE)',
  })
  screenshot(@Root() c: DisplayCommand): Promise<string | null> {
    return this.service.screenshotOf(c);
  }
}
