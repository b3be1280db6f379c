import type { AuthContext, Logger, Viewer } from '@phub/kit';
import type DataLoader from 'dataloader';
import type { User } from './modules/user/user.entity.js';

/** Set by our own middleware from the socket (or trusted proxy) address; any client-sent value is dropped. */
export const CLIENT_IP_HEADER = 'x-phub-client-ip';

/** Where a request came from, for rate limits and the audit log. */
export interface RequestMeta {
  clientIp: string;
  userAgent: string | null;
}

export interface AuthRequestContext extends AuthContext {
  requestId: string;
  logger: Logger;
  viewer: Viewer | null;
  meta: RequestMeta;
  loaders: { user: DataLoader<string, User | null> };
  /** People whose private fields this response may show although no token names them (sign-in answers). */
  disclosed: Set<string>;
}
