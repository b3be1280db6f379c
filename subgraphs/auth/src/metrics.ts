import { ServiceMetrics } from '@phub/kit';
import type { Counter } from 'prom-client';

/** Auth's own counters; labels are bounded enums, never ids. */
export class AuthMetrics extends ServiceMetrics {
  readonly logins: Counter<'outcome'>;
  readonly tokensIssued: Counter<'kind'>;
  readonly refreshes: Counter<'outcome'>;
  readonly revocations: Counter<'reason'>;
  readonly rateLimited: Counter<'limit'>;
  readonly pairings: Counter<'step'>;
  readonly keyRotations: Counter<'trigger'>;

  constructor() {
    super('auth');
    this.logins = this.counter('logins_total', 'Password logins by outcome', ['outcome']);
    this.tokensIssued = this.counter('tokens_issued_total', 'Access tokens issued by kind of holder', ['kind']);
    this.refreshes = this.counter('token_refreshes_total', 'Refresh-token exchanges by outcome', ['outcome']);
    this.revocations = this.counter('revocations_total', 'Sessions and tokens revoked by reason', ['reason']);
    this.rateLimited = this.counter('rate_limited_total', 'Requests refused by a rate limit', ['limit']);
    this.pairings = this.counter('pairings_total', 'Display pairing steps', ['step']);
    this.keyRotations = this.counter('key_rotations_total', 'Signing key rotations by trigger', ['trigger']);
  }
}
