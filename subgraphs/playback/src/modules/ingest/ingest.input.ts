import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';

// Timestamps and ids are plain strings here on purpose: a malformed event must be rejected on its own
// (with a reason) while the rest of the batch is kept, which GraphQL scalar coercion would not allow.

@InputType({ description: 'One proof-of-play record: a creative played on a display' })
export class PlayInput {
  @Field(() => String, { description: 'Client-generated UUID; a retried record with the same id is ignored' })
  id: string;

  @Field(() => ID)
  displayId: string;

  @Field(() => ID, { nullable: true, description: 'Null for a display override (no campaign)' })
  campaignId?: string | null;

  @Field(() => ID)
  creativeId: string;

  @Field(() => String)
  playlistVersion: string;

  @Field(() => String, { description: 'ISO-8601 instant' })
  startedAt: string;

  @Field(() => String, { description: 'ISO-8601 instant' })
  endedAt: string;

  @Field(() => Int)
  durationMs: number;
}

@InputType({ description: 'A display player saying it is alive and what it plays' })
export class HeartbeatInput {
  @Field(() => String, { description: 'Client-generated UUID' })
  id: string;

  @Field(() => ID)
  displayId: string;

  @Field(() => String, { description: 'ISO-8601 instant' })
  at: string;

  @Field(() => ID, { nullable: true })
  currentCreativeId?: string | null;

  @Field(() => String, { nullable: true })
  playlistVersion?: string | null;

  @Field(() => String, { nullable: true })
  appVersion?: string | null;

  @Field(() => Int, { nullable: true })
  uptimeSeconds?: number | null;
}

@InputType()
export class RecordPlaybackInput {
  @Field(() => [PlayInput], { nullable: true })
  plays?: PlayInput[] | null;

  @Field(() => [HeartbeatInput], { nullable: true })
  heartbeats?: HeartbeatInput[] | null;
}

export enum PlaybackEventKind {
  PLAY = 'PLAY',
  HEARTBEAT = 'HEARTBEAT',
}
registerEnumType(PlaybackEventKind, { name: 'PlaybackEventKind' });

@ObjectType({ description: 'An event of the batch that was not accepted, and why' })
export class IngestRejection {
  @Field(() => PlaybackEventKind)
  kind: PlaybackEventKind;

  @Field(() => Int, { description: 'Position in its list (plays or heartbeats)' })
  index: number;

  @Field(() => String, { nullable: true })
  id: string | null;

  @Field(() => String)
  reason: string;

  @Field(() => String, { description: 'BAD_USER_INPUT or NOT_FOUND (unknown display)' })
  code: string;
}

export enum IngestFlagReason {
  UNKNOWN_CAMPAIGN = 'UNKNOWN_CAMPAIGN',
  UNKNOWN_CREATIVE = 'UNKNOWN_CREATIVE',
}
registerEnumType(IngestFlagReason, {
  name: 'IngestFlagReason',
  description:
    'UNKNOWN_CAMPAIGN: no campaign of the tenant has this id (as far as playback has heard); UNKNOWN_CREATIVE: the campaign never had this creative',
});

@ObjectType({
  description:
    'A play that was accepted but names a campaign or creative playback does not know: kept (campaign news may lag), counted and shown, so a misbehaving player is visible',
})
export class IngestFlag {
  @Field(() => Int, { description: 'Position in the plays list' })
  index: number;

  @Field(() => String)
  id: string;

  @Field(() => IngestFlagReason)
  reason: IngestFlagReason;
}

@ObjectType({ description: 'What happened to a batch' })
export class IngestResult {
  @Field(() => Int, { description: 'New events accepted for writing' })
  accepted: number;

  @Field(() => Int, { description: 'Events already recorded (or repeated in this batch); ignored' })
  duplicates: number;

  @Field(() => [IngestRejection])
  rejected: IngestRejection[];

  @Field(() => [IngestFlag])
  flagged: IngestFlag[];
}
