import type { Logger, Viewer } from '@phub/kit';
import type { ContentScope } from './scope.js';

export interface ContentContext {
  requestId: string;
  logger: Logger;
  viewer: Viewer | null;
  scope: ContentScope;
}
