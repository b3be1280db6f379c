import type { Logger, PlatformPubSub, Viewer } from '@phub/kit';
import type { QueueLoaders } from './loaders.js';
import type { TicketService } from './modules/ticket/ticket.service.js';
import type { QueueScope } from './scope.js';

export interface QueueContext {
  requestId: string;
  /** The client's address (stamped by this service's HTTP layer), for per-address limits. */
  clientIp: string;
  logger: Logger;
  viewer: Viewer | null;
  scope: QueueScope;
  loaders: QueueLoaders;
  /** Subscriptions listen here (type-graphql's subscribe hook gets the context, not the resolver). */
  pubsub: PlatformPubSub;
  /** ticketUpdated resolves the visitor's token before it listens. */
  tickets: TicketService;
}
