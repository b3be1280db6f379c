import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { DisplayStatus } from './health.rules.js';

registerEnumType(DisplayStatus, {
  name: 'DisplayStatus',
  description:
    'ONLINE: heartbeats arrive; OFFLINE: none for a while; NOT_PLAYING_EXPECTED: an old playlist beyond the grace period; UNKNOWN: never heard from',
});

// Campaign owns creatives; only the key lives here, the gateway fetches name, url… from campaign.
@ObjectType('Creative')
@Directive('@key(fields: "id", resolvable: false)')
export class CreativeReference {
  @Field(() => ID)
  id: string;
}

@ObjectType({ description: 'What a display last said it plays' })
export class NowPlaying {
  @Field(() => ID, { nullable: true })
  creativeId: string | null;

  @Field(() => CreativeReference, { nullable: true, description: 'The creative it reported (name, picture…)' })
  creative?: CreativeReference | null;

  @Field(() => String, { nullable: true })
  playlistVersion: string | null;

  @Field(() => String, { nullable: true })
  appVersion: string | null;

  @Field(() => Date)
  reportedAt: Date;
}

// Location owns Display; playback adds its health. The reference resolver loads playback's own state.
@ObjectType('Display', { description: 'A screen in a store' })
@Directive('@key(fields: "id")')
export class Display {
  @Field(() => ID)
  id: string;

  @Field(() => DisplayStatus)
  status: DisplayStatus;

  @Field(() => Date, { nullable: true, description: 'Last heartbeat' })
  lastSeenAt: Date | null;

  @Field(() => NowPlaying, { nullable: true })
  nowPlaying: NowPlaying | null;
}

@ObjectType({ description: 'A display changed status' })
export class DisplayStatusChange {
  @Field(() => ID)
  displayId: string;

  @Field(() => DisplayStatus)
  status: DisplayStatus;

  @Field(() => DisplayStatus)
  previous: DisplayStatus;

  @Field(() => Date)
  at: Date;

  @Field(() => Display)
  display: Display;
}
