import { type AuthRule, DomainError, Role, scopeRule } from '@phub/kit';
import { GraphQLError } from 'graphql';
import { QUEUE_READ_SCOPE, QUEUE_WRITE_SCOPE } from './scope.js';

// Coarse gates at the schema; the store-level rule is QueueScope's.
export const HQ: AuthRule[] = [Role.HQ_ADMIN, Role.HQ_EDITOR, Role.HQ_VIEWER];
export const STORE: AuthRule[] = [Role.STORE_MANAGER, Role.STORE_STAFF];
/** Reading a store's queue: HQ, store roles, partners with queue:read or queue:write, displays (the board). */
export const QUEUE_READERS: AuthRule[] = [
  ...HQ,
  ...STORE,
  scopeRule(QUEUE_READ_SCOPE),
  scopeRule(QUEUE_WRITE_SCOPE),
  Role.DEVICE,
];
/** Queue reports: HQ (the tenant), store managers (their stores), partners with a queue scope; not staff or displays. */
export const REPORT_READERS: AuthRule[] = [
  ...HQ,
  Role.STORE_MANAGER,
  scopeRule(QUEUE_READ_SCOPE),
  scopeRule(QUEUE_WRITE_SCOPE),
];
/** Lines carry no personal data: queue readers and the store's kiosks (which show them as buttons). */
export const LINE_READERS: AuthRule[] = [...QUEUE_READERS, Role.KIOSK];
/** A kiosk tablet's own operations: taking tickets and check-ins for its store. */
export const KIOSKS: AuthRule[] = [Role.KIOSK];
/** Serving the queue: store roles, HQ admins, partners with queue:write. */
export const CLERKS: AuthRule[] = [Role.HQ_ADMIN, ...STORE, scopeRule(QUEUE_WRITE_SCOPE)];
/** Configuring lines, desks and hours: store managers, HQ admins. */
export const CONFIGURERS: AuthRule[] = [Role.HQ_ADMIN, Role.STORE_MANAGER];
/** Staffing a desk: managers for anyone, staff for themselves (checked in the service). */
export const DESK_STAFF: AuthRule[] = [Role.HQ_ADMIN, ...STORE];

/** A domain error as a GraphQLError with its code, for transports that do not format errors (graphql-ws). */
export function asGraphQLError(err: unknown): unknown {
  if (!(err instanceof DomainError)) return err;
  return new GraphQLError(err.message, { extensions: { ...err.details, code: err.code } });
}
