import type { Logger, Viewer } from '@phub/kit';
import type { LocationLoaders } from './loaders.js';
import type { LocationScope } from './scope.js';

export interface LocationContext {
  requestId: string;
  logger: Logger;
  viewer: Viewer | null;
  scope: LocationScope;
  loaders: LocationLoaders;
}
