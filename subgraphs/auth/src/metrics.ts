import { ServiceMetrics } from '@phub/kit';

/** Auth's own counters; labels are bounded enums, never ids. */
export class AuthMetrics extends ServiceMetrics {
  readonly logins = this.counter('logins_total', 'Password logins by outcome', ['outcome'] as const);
  readonly tokensIssued = this.counter('tokens_issued_total', 'Access tokens issued by kind', ['kind'] as const);
  readonly refreshes = this.counter('token_refreshes_total', 'Refresh attempts by outcome', ['outcome'] as const);
  readonly revocations = this.counter('revocations_total', 'Sessions and tokens revoked by reason', ['reason'] as const);
  readonly rateLimited = this.counter('rate_limited_total', 'Requests refused by a rate limit', ['limit'] as const);
  readonly pairings = this.counter('pairings_total', 'Device pairing steps', ['step'] as const);
  readonly keyRotations = this.counter('key_rotations_total', 'Signing key rotations by trigger', ['trigger'] as const);

  constructor() {
    super('auth');
  }
}
