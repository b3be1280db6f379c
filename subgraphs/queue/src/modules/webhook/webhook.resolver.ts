import { ConnectionType, Role } from '@phub/kit';
import {
  Arg,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import type { QueueContext } from '../../context.js';
import { WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint } from './webhook.entity.js';
import { CreateWebhookEndpointInput, UpdateWebhookEndpointInput } from './webhook.input.js';
import type { WebhookService } from './webhook.service.js';

const WebhookDeliveryConnection = ConnectionType(WebhookDelivery, 'WebhookDelivery');
/** Registering and reading webhooks: HQ admins (tenant or any store), store managers (their stores). */
const WEBHOOK_ADMINS = [Role.HQ_ADMIN, Role.STORE_MANAGER];

@ObjectType({ description: 'A registered endpoint and its signing secret, shown this once' })
export class CreatedWebhookEndpoint {
  @Field(() => WebhookEndpoint)
  endpoint: WebhookEndpoint;

  @Field(() => String, {
    description: 'Signs every delivery (Phub-Signature: t=…,v1=HMAC-SHA256(secret, "t.body")); store it now',
  })
  secret: string;
}

@Resolver(() => WebhookEndpoint)
export class WebhookResolver {
  constructor(private readonly webhooks: WebhookService) {}

  @Authorized(...WEBHOOK_ADMINS)
  @Query(() => [WebhookEndpoint], { description: 'Webhook endpoints you manage (optionally one store’s)' })
  webhookEndpoints(
    @Ctx() ctx: QueueContext,
    @Arg('storeId', () => ID, { nullable: true }) storeId?: string | null,
  ): Promise<WebhookEndpoint[]> {
    return this.webhooks.list(ctx.scope, storeId);
  }

  @Authorized(...WEBHOOK_ADMINS)
  @Query(() => WebhookEndpoint)
  webhookEndpoint(@Ctx() ctx: QueueContext, @Arg('id', () => ID) id: string): Promise<WebhookEndpoint> {
    return this.webhooks.get(ctx.scope, id);
  }

  @Authorized(...WEBHOOK_ADMINS)
  @Mutation(() => CreatedWebhookEndpoint, {
    description: 'Registers an endpoint for ticket events (HQ admins: tenant-wide or a store; managers: their store)',
  })
  createWebhookEndpoint(
    @Ctx() ctx: QueueContext,
    @Arg('input', () => CreateWebhookEndpointInput) input: CreateWebhookEndpointInput,
  ): Promise<CreatedWebhookEndpoint> {
    return this.webhooks.create(ctx.scope, input);
  }

  @Authorized(...WEBHOOK_ADMINS)
  @Mutation(() => WebhookEndpoint, { description: 'Changes an endpoint’s URL, events, description or activity' })
  updateWebhookEndpoint(
    @Ctx() ctx: QueueContext,
    @Arg('input', () => UpdateWebhookEndpointInput) input: UpdateWebhookEndpointInput,
  ): Promise<WebhookEndpoint> {
    return this.webhooks.update(ctx.scope, input);
  }

  @Authorized(...WEBHOOK_ADMINS)
  @Mutation(() => Boolean, { description: 'Deletes an endpoint and its delivery log' })
  deleteWebhookEndpoint(@Ctx() ctx: QueueContext, @Arg('id', () => ID) id: string): Promise<boolean> {
    return this.webhooks.remove(ctx.scope, id);
  }

  @FieldResolver(() => WebhookDeliveryConnection, { description: 'The delivery log, newest first' })
  deliveries(
    @Root() endpoint: WebhookEndpoint,
    @Arg('status', () => WebhookDeliveryStatus, { nullable: true }) status?: WebhookDeliveryStatus | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    return this.webhooks.deliveries(endpoint, status, first, after);
  }
}
