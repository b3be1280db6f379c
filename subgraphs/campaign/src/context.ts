import type { Logger, Viewer } from '@phub/kit';
import type { CampaignLoaders } from './loaders.js';
import type { PlaylistFeed } from './modules/playlist/playlist.feed.js';
import type { CampaignScope } from './scope.js';

export interface CampaignContext {
  requestId: string;
  logger: Logger;
  viewer: Viewer | null;
  scope: CampaignScope;
  loaders: CampaignLoaders;
  /** Subscriptions start here (type-graphql's subscribe hook gets the context, not the resolver). */
  feed: PlaylistFeed;
}
