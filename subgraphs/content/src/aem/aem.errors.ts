import { DomainError, ErrorCode } from '@phub/kit';
import { registerEnumType } from 'type-graphql';

/** Why a read from AEM failed: stable codes, recorded in a source's health and sent as `extensions.reason`. */
export enum AemErrorCode {
  /** No connection (refused, DNS, reset) to AEM or to the egress proxy. */
  UNREACHABLE = 'UNREACHABLE',
  /** No complete answer within CONTENT_AEM_TIMEOUT_MS. */
  TIMEOUT = 'TIMEOUT',
  /** AEM (or the dispatcher / CDN in front of it) answered 5xx. */
  SERVER_ERROR = 'SERVER_ERROR',
  /** 401: the credentials are wrong or expired. */
  UNAUTHORIZED = 'UNAUTHORIZED',
  /** 403: the credentials may not read this path. */
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  /** 429 from AEM as a Cloud Service's rate limits. */
  RATE_LIMITED = 'RATE_LIMITED',
  /** The body was not the JSON the API documents (or was larger than allowed). */
  MALFORMED_RESPONSE = 'MALFORMED_RESPONSE',
  /** Sling's 300 Multiple Choices: the tree is over the result limit even at the smallest depth offered. */
  TOO_MANY_RESULTS = 'TOO_MANY_RESULTS',
  /** Another status than the API documents. */
  UNEXPECTED_STATUS = 'UNEXPECTED_STATUS',
  /** The source failed too often lately: reads are not attempted until its circuit half-opens. */
  CIRCUIT_OPEN = 'CIRCUIT_OPEN',
  /** EGRESS_PROXY_REQUIRED is set and the request would have left without the proxy. */
  EGRESS_REFUSED = 'EGRESS_REFUSED',
  /** The service credentials could not be exchanged for an access token. */
  TOKEN_EXCHANGE_FAILED = 'TOKEN_EXCHANGE_FAILED',
}
registerEnumType(AemErrorCode, { name: 'AemErrorCode', description: 'Why a read from AEM failed' });

// Transient failures are retried and count against the circuit; the others are answers about the request.
const TRANSIENT = new Set([
  AemErrorCode.UNREACHABLE,
  AemErrorCode.TIMEOUT,
  AemErrorCode.SERVER_ERROR,
  AemErrorCode.RATE_LIMITED,
]);
// Answers about one path (missing, too large a tree) rather than the source: they do not open its circuit.
const ABOUT_THE_PATH = new Set([AemErrorCode.NOT_FOUND, AemErrorCode.TOO_MANY_RESULTS, AemErrorCode.CIRCUIT_OPEN]);

/** A failed AEM read: UNAVAILABLE to clients (NOT_FOUND for a missing path), the AEM reason in `details.reason`. */
export class AemError extends DomainError {
  constructor(
    readonly reason: AemErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(reason === AemErrorCode.NOT_FOUND ? ErrorCode.NOT_FOUND : ErrorCode.UNAVAILABLE, message, {
      reason,
      ...(status ? { status } : {}),
    });
    this.name = 'AemError';
  }

  get transient(): boolean {
    return TRANSIENT.has(this.reason);
  }

  /** Whether the failure is the source's (counts towards opening its circuit), not one path's. */
  get countsForCircuit(): boolean {
    return !ABOUT_THE_PATH.has(this.reason);
  }
}

/** The AEM reason of a status code that is not a success. */
export function errorForStatus(status: number, what: string): AemError {
  if (status === 401)
    return new AemError(AemErrorCode.UNAUTHORIZED, `AEM refused the credentials (401) for ${what}`, status);
  if (status === 403) return new AemError(AemErrorCode.FORBIDDEN, `AEM forbids ${what} (403)`, status);
  if (status === 404) return new AemError(AemErrorCode.NOT_FOUND, `AEM has no ${what} (404)`, status);
  if (status === 429) return new AemError(AemErrorCode.RATE_LIMITED, `AEM rate-limited ${what} (429)`, status);
  if (status >= 500) return new AemError(AemErrorCode.SERVER_ERROR, `AEM failed on ${what} (${status})`, status);
  return new AemError(AemErrorCode.UNEXPECTED_STATUS, `AEM answered ${status} for ${what}`, status);
}
