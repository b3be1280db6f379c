import { type AuthRule, DomainError, Role, scopeRule } from '@phub/kit';
import { GraphQLError } from 'graphql';
import { PLAYBACK_READ_SCOPE } from './scope.js';

export const HQ: AuthRule[] = [Role.HQ_ADMIN, Role.HQ_EDITOR, Role.HQ_VIEWER];
export const STORE: AuthRule[] = [Role.STORE_MANAGER, Role.STORE_STAFF];
export const PARTNER_READ = scopeRule(PLAYBACK_READ_SCOPE);
/** Display health and alerts: HQ, store roles for their stores, partners with playback:read. */
export const HEALTH_READERS: AuthRule[] = [...HQ, ...STORE, PARTNER_READ];
/** Reports: HQ, store managers for their stores, partners with playback:read. */
export const REPORT_READERS: AuthRule[] = [...HQ, Role.STORE_MANAGER, PARTNER_READ];
/** Recording: the display's own device, or an HQ admin backfilling. */
export const RECORDERS: AuthRule[] = [Role.DEVICE, Role.HQ_ADMIN];
export const ACKNOWLEDGERS: AuthRule[] = [Role.HQ_ADMIN, Role.HQ_EDITOR, ...STORE];

/** A domain error as a GraphQLError with its code, for transports that do not format errors (graphql-ws). */
export function asGraphQLError(err: unknown): unknown {
  if (!(err instanceof DomainError)) return err;
  return new GraphQLError(err.message, { extensions: { ...err.details, code: err.code } });
}
