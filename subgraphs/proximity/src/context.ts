import type { Logger, Viewer } from '@phub/kit';
import type { ProximityScope } from './scope.js';

export interface ProximityContext {
  requestId: string;
  logger: Logger;
  viewer: Viewer | null;
  scope: ProximityScope;
}
