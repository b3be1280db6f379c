import { DomainError, requireRole, scopeRule, type AuthRule, Public } from '@phub/kit';
import { GraphQLError } from 'graphql';
import { Arg, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { CampaignContext } from '../../context.js';
import { CAMPAIGN_READ_SCOPE } from '../../scope.js';
import { DisplayReference, displayRef } from '../../references.js';
import type { PlaylistChangedPayload } from './playlist.feed.js';
import { deserializePlaylist, type PlaylistService, type PlaylistView } from './playlist.service.js';
import { Playlist, PlaylistChange, PlaylistExplanation, PlaylistSegment } from './playlist.types.js';

const HQ = ['HQ_ADMIN', 'HQ_EDITOR', 'HQ_VIEWER'];
const PLAYLIST_READERS: AuthRule[] = [
  ...HQ,
  'STORE_MANAGER',
  'STORE_STAFF',
  'DEVICE',
  scopeRule(CAMPAIGN_READ_SCOPE),
] as AuthRule[];

/** A domain error as a GraphQLError with its code, for transports that do not format errors. */
function asGraphQLError(err: unknown): unknown {
  if (!(err instanceof DomainError)) return err;
  return new GraphQLError(err.message, { extensions: { ...err.details, code: err.code } });
}

const toPlaylist = (view: PlaylistView): Playlist => ({ ...view, display: displayRef(view.displayId) });

@Resolver(() => Playlist)
export class PlaylistResolver {
  constructor(private readonly playlists: PlaylistService) {}

  @Public()
  @Authorized(...PLAYLIST_READERS)
  @Query(() => Playlist, {
    description:
      'What a display plays now (or at `at`): a device only its own display, store roles their stores, HQ and partners (campaign:read) the tenant',
  })
  async displayPlaylist(
    @Ctx() ctx: CampaignContext,
    @Arg('displayId', () => ID) displayId: string,
    @Arg('at', () => Date, { nullable: true }) at?: Date | null,
  ): Promise<Playlist> {
    return toPlaylist(await this.playlists.forViewer(ctx.scope, displayId, at));
  }

  @Authorized(...HQ)
  @Query(() => PlaylistExplanation, {
    description: 'Why campaign C is (or is not) on display D at `at` (default now): every check with its verdict',
  })
  async explainPlaylist(
    @Ctx() ctx: CampaignContext,
    @Arg('displayId', () => ID) displayId: string,
    @Arg('campaignId', () => ID) campaignId: string,
    @Arg('at', () => Date, { nullable: true }) at?: Date | null,
  ): Promise<PlaylistExplanation> {
    const explanation = await this.playlists.explain(ctx.scope, displayId, campaignId, at ?? null);
    return {
      ...explanation,
      checks: explanation.checks.map((c) => ({
        ...c,
        rule: c.rule ? { kind: c.rule.kind, value: c.rule.value } : null,
        outrankedBy: c.outrankedBy ? { ...c.outrankedBy } : null,
      })),
      display: displayRef(explanation.displayId),
    } as PlaylistExplanation;
  }

  @Authorized(...HQ, 'STORE_MANAGER', 'STORE_STAFF')
  @Query(() => [PlaylistSegment], {
    description: 'The versions a display will play over [from, to), split where the playlist changes',
  })
  async playlistPreview(
    @Ctx() ctx: CampaignContext,
    @Arg('displayId', () => ID) displayId: string,
    @Arg('from', () => Date) from: Date,
    @Arg('to', () => Date) to: Date,
  ): Promise<PlaylistSegment[]> {
    const segments = await this.playlists.preview(ctx.scope, displayId, from, to);
    return segments.map((s) => ({ ...s, items: [...s.items] }));
  }

  @Public()
  @FieldResolver(() => DisplayReference)
  display(@Root() playlist: Playlist): DisplayReference {
    return displayRef(playlist.displayId);
  }
}

@Resolver(() => PlaylistChange)
export class PlaylistChangeResolver {
  // Authorised inside `subscribe` (same rules as displayPlaylist): errors there must carry their code
  // themselves, because graphql-ws does not run the kit's formatError.
  @Public()
  @Subscription(() => PlaylistChange, {
    description:
      'Fires when the display’s playlist version changes (edits, approvals, pauses, overrides, schedule boundaries, location changes). Same access as displayPlaylist',
    subscribe: async ({ args, context }) => {
      const ctx = context as CampaignContext;
      try {
        requireRole(ctx, ...PLAYLIST_READERS);
        return await ctx.feed.subscribe(ctx.scope, String(args.displayId), Boolean(args.current));
      } catch (err) {
        throw asGraphQLError(err);
      }
    },
  })
  playlistChanged(
    @Root() payload: PlaylistChangedPayload,
    @Arg('displayId', () => ID) _displayId: string,
    @Arg('current', () => Boolean, {
      defaultValue: false,
      description: 'Send the current playlist first (catching up after a reconnect)',
    })
    _current: boolean,
  ): PlaylistChange {
    const playlist = toPlaylist(deserializePlaylist(payload.playlist));
    return { displayId: payload.displayId, version: payload.version, playlist, display: playlist.display };
  }
}
