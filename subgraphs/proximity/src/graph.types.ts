import { Public } from '@phub/kit';
import { Directive, Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';

// Location owns Store; proximity only names it (footfall rows, site mappings). The reference needs only the id.
@ObjectType('Store', { description: 'A retail store or bank branch' })
@Directive('@key(fields: "id")')
export class Store {
  @Field(() => ID)
  id: string;
}
export const storeRef = (id: string): Store => Object.assign(new Store(), { id });

@ObjectType({ description: 'A Mist zone of a mapped site, mapped to a zone of the store (location’s zone id)' })
export class MistZoneMapping {
  @Field(() => String)
  mistZoneId: string;

  @Field(() => ID, { description: 'The location zone whose displays presence in this Mist zone concerns' })
  zoneId: string;
}

@ObjectType({ description: 'A Mist site mapped to one of the tenant’s stores' })
export class MistSite {
  @Field(() => String)
  mistSiteId: string;

  @Field(() => ID)
  storeId: string;

  @Field(() => Store)
  store: Store;

  @Field(() => [MistZoneMapping])
  zones: MistZoneMapping[];
}

@ObjectType({ description: 'A Mist site that sent events but is mapped to no store: its events were rejected' })
export class UnknownMistSite {
  @Field(() => String)
  mistSiteId: string;

  @Field(() => Float, { description: 'Events rejected for it so far' })
  events: number;

  @Field(() => Date)
  lastSeenAt: Date;
}

@ObjectType({ description: 'The tenant’s Juniper Mist webhook: where Mist posts, and how its sites map to stores' })
export class MistConnection {
  @Field(() => String, {
    description: 'Path to give Mist as the webhook URL, on the graph’s own host (e.g. https://graph.example.com<path>)',
  })
  webhookPath: string;

  @Field(() => Boolean, { description: 'Whether a webhook secret is set; it is never shown again' })
  secretSet: boolean;

  @Field(() => [MistSite])
  sites: MistSite[];

  @Field(() => [UnknownMistSite])
  unknownSites: UnknownMistSite[];
}

@InputType()
export class MapMistZoneInput {
  @Field(() => String)
  mistZoneId: string;

  @Field(() => ID)
  zoneId: string;
}

@InputType()
export class MapMistSiteInput {
  @Field(() => String)
  mistSiteId: string;

  @Field(() => ID)
  storeId: string;

  @Field(() => [MapMistZoneInput], { defaultValue: [], description: 'Replaces the site’s zone mappings' })
  zones: MapMistZoneInput[];
}

@InputType()
export class ProximityReportFilter {
  @Field(() => Date, { description: 'From this instant (inclusive; hours starting at or after it)' })
  from: Date;

  @Field(() => Date, { description: 'Until this instant (exclusive)' })
  to: Date;

  @Field(() => ID, { nullable: true })
  storeId?: string | null;

  @Field(() => ID, { nullable: true })
  zoneId?: string | null;
}

@Public()
@ObjectType({ description: 'Footfall and dwell of one zone in one hour; counts only, never a device' })
export class ZoneHour {
  @Public()
  @Field(() => ID)
  storeId: string;

  @Public()
  @Field(() => Store)
  store: Store;

  @Public()
  @Field(() => ID)
  zoneId: string;

  @Public()
  @Field(() => Date, { description: 'When the hour starts (UTC hours; an instant)' })
  hour: Date;

  @Public()
  @Field(() => Int, { description: 'Zone enters (footfall), by the hour of the enter' })
  footfall: number;

  @Public()
  @Field(() => Int, { description: 'Zone exits, by the hour of the exit' })
  exits: number;

  @Public()
  @Field(() => Float, { nullable: true, description: 'Average dwell of the exits with a known enter (seconds)' })
  averageDwellSeconds: number | null;

  @Public()
  @Field(() => Int, { description: 'Exits whose dwell was measured' })
  dwells: number;
}
