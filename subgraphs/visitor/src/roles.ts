import { type AuthRule, Role, scopeRule } from '@phub/kit';
import { VISITOR_READ_SCOPE, VISITOR_WRITE_SCOPE } from './scope.js';

// Coarse gates at the schema; the finer rule (stores, consent) is VisitorScope's. DEVICE is in none of them.
export const HQ: AuthRule[] = [Role.HQ_ADMIN, Role.HQ_EDITOR, Role.HQ_VIEWER];
export const PARTNERS: AuthRule[] = [scopeRule(VISITOR_READ_SCOPE), scopeRule(VISITOR_WRITE_SCOPE)];
/** Segments and aggregates. */
export const AGGREGATE_READERS: AuthRule[] = [...HQ, ...PARTNERS];
/** Managing segments. */
export const SEGMENT_MANAGERS: AuthRule[] = [Role.HQ_ADMIN, Role.HQ_EDITOR];
/** Profiles, export, erasure, audit. */
export const PROFILE_OPENERS: AuthRule[] = [Role.HQ_ADMIN];
/** Imports and consent by identifier. */
export const IDENTIFIER_WRITERS: AuthRule[] = [Role.HQ_ADMIN, scopeRule(VISITOR_WRITE_SCOPE)];
/** Check-ins: the store's people and kiosks, booking partners. */
export const CHECK_IN_WRITERS: AuthRule[] = [
  Role.STORE_MANAGER,
  Role.STORE_STAFF,
  Role.KIOSK,
  scopeRule(VISITOR_WRITE_SCOPE),
];
/** Check-in cards. */
export const STORE_PEOPLE: AuthRule[] = [Role.STORE_MANAGER, Role.STORE_STAFF];
