import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import type { PlaybackContext } from '../../context.js';
import { RECORDERS } from '../../roles.js';
import { IngestResult, RecordPlaybackInput } from './ingest.input.js';
import type { IngestService } from './ingest.service.js';

@Resolver()
export class IngestResolver {
  constructor(private readonly ingest: IngestService) {}

  @Authorized(...RECORDERS)
  @Mutation(() => IngestResult, {
    description:
      'Proof of play and heartbeats, in bulk. Idempotent on each event id; malformed events are rejected one by one. A device records only for its own display; HQ admins for any (backfills)',
  })
  recordPlayback(@Ctx() ctx: PlaybackContext, @Arg('input', () => RecordPlaybackInput) input: RecordPlaybackInput) {
    return this.ingest.ingest(ctx.scope, { plays: input.plays ?? [], heartbeats: input.heartbeats ?? [] });
  }
}
