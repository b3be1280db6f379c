import type { Logger, PlatformPubSub, Viewer } from '@phub/kit';
import type DataLoader from 'dataloader';
import type { DisplayCommandService } from './modules/command/command.service.js';
import type { Display } from './modules/health/display.types.js';
import type { HealthService } from './modules/health/health.service.js';
import type { PlaybackScope } from './scope.js';

export interface PlaybackLoaders {
  display: DataLoader<string, Display>;
}

export interface PlaybackContext {
  requestId: string;
  logger: Logger;
  viewer: Viewer | null;
  scope: PlaybackScope;
  loaders: PlaybackLoaders;
  /** Subscriptions listen here (type-graphql's subscribe hook gets the context, not the resolver). */
  pubsub: PlatformPubSub;
  health: HealthService;
  commands: DisplayCommandService;
}
