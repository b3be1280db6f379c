import {
  Arg,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ID,
  InputType,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { ConnectionType } from '../relay.js';
import { Public } from '../schema.js';
import type { Visibility } from '../visibility/visibility.js';
import { WebhookDeliveryRecord, WebhookDeliveryStatus, WebhookEndpointRecord } from './webhook.entity.js';
import type { CreatedEndpoint, WebhookHub } from './webhook.service.js';

/** How a family shows in the graph. */
export interface WebhookGraphOptions<Ctx> {
  /** `queue` → `QueueWebhookEndpoint`, `createQueueWebhookEndpoint`, `redeliverQueueWebhook`… */
  family: string;
  /** The family's events: an enum registered with type-graphql (`registerEnumType`). */
  events: object;
  /** What the events are, for descriptions: "ticket events". */
  describe: string;
  /** The graph name of a delivery's subject id: `ticketId`, `campaignId`. */
  subjectField: string;
  /** The viewer's visibility in the family's domain, from the subgraph's request context. */
  scope: (ctx: Ctx) => Visibility;
}

/** The resolver class of a family and what type-graphql needs besides it; each family's names once. */
export interface WebhookGraph {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  resolver: Function;
  build(hub: WebhookHub): object;
}

const built = new Map<string, WebhookGraph>();

/**
 * The graph types of one family's webhooks, named after it (each subgraph that adopts the kit has a registry
 * of its own, and federation would clash on shared root fields): endpoints with their delivery log, create,
 * update, delete and redeliver. Built once per family per process (type-graphql's metadata is global).
 */
export function webhookGraph<Ctx>(o: WebhookGraphOptions<Ctx>): WebhookGraph {
  const existing = built.get(o.family);
  if (existing) return existing;
  const P = o.family.charAt(0).toUpperCase() + o.family.slice(1);
  const lower = o.family;
  const Events = o.events;

  @Public()
  @ObjectType(`${P}WebhookDelivery`, { description: `One of the ${o.describe} to one endpoint, with its attempts` })
  class DeliveryType {
    @Field(() => ID, { description: 'Also sent as the Phub-Delivery header' })
    id: string;

    @Field(() => ID)
    endpointId: string;

    @Field(() => ID, { nullable: true, description: 'The event’s store; null for a tenant-wide event' })
    storeId: string | null;

    @Field(() => ID, {
      description: 'The event’s id (the same for every endpoint and redelivery; also the Phub-Event-Id header)',
    })
    eventId: string;

    @Field(() => Events)
    event: string;

    @Field(() => ID, { name: o.subjectField })
    subjectId: string;

    @Field(() => WebhookDeliveryStatus)
    status: WebhookDeliveryStatus;

    @Field(() => Int)
    attempts: number;

    @Field(() => Int, { nullable: true, description: 'HTTP status of the last answer; null when none came' })
    lastStatusCode: number | null;

    @Field(() => String, { nullable: true })
    lastError: string | null;

    @Field(() => Date)
    createdAt: Date;

    @Field(() => Date, { nullable: true, description: 'When it is tried next; meaningful while PENDING' })
    nextAttemptAt: Date;

    @Field(() => Date, { nullable: true })
    lastAttemptAt: Date | null;

    @Field(() => Date, { nullable: true })
    deliveredAt: Date | null;

    @Field(() => Date, { nullable: true })
    failedAt: Date | null;

    @Field(() => ID, { nullable: true, description: 'The logged delivery this one sends again' })
    redeliveryOf: string | null;
  }
  const DeliveryConnection = ConnectionType(DeliveryType, `${P}WebhookDelivery`);

  @Public()
  @ObjectType(`${P}WebhookEndpoint`, {
    description: `An HTTPS endpoint that receives the tenant’s (or one store’s) ${o.describe}`,
  })
  class EndpointType {
    @Field(() => ID)
    id: string;

    @Field(() => ID, {
      nullable: true,
      description: 'Only this store’s events; null: every store’s and tenant-wide ones',
    })
    storeId: string | null;

    @Field(() => String)
    url: string;

    @Field(() => [Events], { description: `The ${o.describe} it receives` })
    events: string[];

    @Field(() => String, { nullable: true })
    description: string | null;

    @Field(() => Boolean, { description: 'Inactive endpoints receive nothing (pending deliveries fail)' })
    active: boolean;

    @Field(() => String, { nullable: true, description: 'Who registered it (a user id or an API client id)' })
    createdBy: string | null;

    @Field(() => Date)
    createdAt: Date;

    @Field(() => Date)
    updatedAt: Date;
  }

  @Public()
  @ObjectType(`Created${P}WebhookEndpoint`, {
    description: 'A registered endpoint and its signing secret, shown this once',
  })
  class CreatedType {
    @Field(() => EndpointType)
    endpoint: WebhookEndpointRecord;

    @Field(() => String, {
      description: 'Signs every delivery (Phub-Signature: t=…,v1=HMAC-SHA256(secret, "t.body")); store it now',
    })
    secret: string;
  }

  @InputType(`Create${P}WebhookEndpointInput`)
  class CreateInput {
    @Field(() => ID, {
      nullable: true,
      description: 'Only this store’s events (store managers must name one of theirs)',
    })
    storeId?: string | null;

    @Field(() => String, { description: 'https://… on a public address' })
    url: string;

    @Field(() => [Events])
    events: string[];

    @Field(() => String, { nullable: true })
    description?: string | null;
  }

  @InputType(`Update${P}WebhookEndpointInput`)
  class UpdateInput {
    @Field(() => ID)
    id: string;

    @Field(() => String, { nullable: true })
    url?: string | null;

    @Field(() => [Events], { nullable: true })
    events?: string[] | null;

    @Field(() => String, { nullable: true })
    description?: string | null;

    @Field(() => Boolean, { nullable: true })
    active?: boolean | null;
  }

  // Any signed-in caller reaches the resolver; the hub applies the visibility rule (FORBIDDEN / NOT_FOUND).
  @Resolver(() => EndpointType)
  class WebhookResolver {
    constructor(private readonly hub: WebhookHub) {}

    @Public()
    @Authorized()
    @Query(() => [EndpointType], {
      name: `${lower}WebhookEndpoints`,
      description: `Endpoints for ${o.describe} you manage`,
    })
    endpoints(
      @Ctx() ctx: Ctx,
      @Arg('storeId', () => ID, { nullable: true }) storeId?: string | null,
    ): Promise<WebhookEndpointRecord[]> {
      return this.hub.list(o.scope(ctx), storeId);
    }

    @Public()
    @Authorized()
    @Query(() => EndpointType, { name: `${lower}WebhookEndpoint` })
    endpoint(@Ctx() ctx: Ctx, @Arg('id', () => ID) id: string): Promise<WebhookEndpointRecord> {
      return this.hub.get(o.scope(ctx), id);
    }

    @Public()
    @Authorized()
    @Mutation(() => CreatedType, {
      name: `create${P}WebhookEndpoint`,
      description: `Registers an endpoint for ${o.describe} (HQ admins and partners: tenant-wide or a store; managers: their store)`,
    })
    create(@Ctx() ctx: Ctx, @Arg('input', () => CreateInput) input: CreateInput): Promise<CreatedEndpoint> {
      return this.hub.create(o.scope(ctx), input);
    }

    @Public()
    @Authorized()
    @Mutation(() => EndpointType, {
      name: `update${P}WebhookEndpoint`,
      description: 'Changes an endpoint’s URL, events, description or activity',
    })
    update(@Ctx() ctx: Ctx, @Arg('input', () => UpdateInput) input: UpdateInput): Promise<WebhookEndpointRecord> {
      return this.hub.update(o.scope(ctx), input);
    }

    @Public()
    @Authorized()
    @Mutation(() => Boolean, {
      name: `delete${P}WebhookEndpoint`,
      description: 'Deletes an endpoint and its delivery log',
    })
    remove(@Ctx() ctx: Ctx, @Arg('id', () => ID) id: string): Promise<boolean> {
      return this.hub.remove(o.scope(ctx), id);
    }

    @Public()
    @Authorized()
    @Mutation(() => DeliveryType, {
      name: `redeliver${P}Webhook`,
      description: 'Sends a logged delivery again: a new delivery of the same event (same body and event id), due now',
    })
    redeliver(@Ctx() ctx: Ctx, @Arg('deliveryId', () => ID) deliveryId: string): Promise<WebhookDeliveryRecord> {
      return this.hub.redeliver(o.scope(ctx), deliveryId);
    }

    @Public()
    @FieldResolver(() => DeliveryConnection, { description: 'The delivery log, newest first' })
    deliveries(
      @Root() endpoint: WebhookEndpointRecord,
      @Arg('status', () => WebhookDeliveryStatus, { nullable: true }) status?: WebhookDeliveryStatus | null,
      @Arg('first', () => Int, { nullable: true }) first?: number | null,
      @Arg('after', () => String, { nullable: true }) after?: string | null,
    ) {
      return this.hub.deliveries(endpoint, status, first, after);
    }
  }

  const graph: WebhookGraph = { resolver: WebhookResolver, build: (hub) => new WebhookResolver(hub) };
  built.set(o.family, graph);
  return graph;
}
