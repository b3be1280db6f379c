import { GraphQLError } from 'graphql';
import { DomainError, ErrorCode, unauthenticated } from '../errors.js';
import type { ContextInput } from '../graphql-server.js';
import type { TokenVerifier } from './token-verifier.js';
import type { Viewer } from './viewer.js';

type CredentialSource = Pick<ContextInput, 'headers' | 'connectionParams'>;

function bearerFrom(value: string, where: string): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value.trim());
  if (!match) throw unauthenticated(`${where} must be "Bearer <access token>"`);
  return match[1]!;
}

function param(params: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(params).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : params[key];
}

/**
 * The access token a request carries: graphql-ws `connectionParams` (`authorization:
 * "Bearer …"` or `accessToken`) first, then the HTTP `authorization` header. Null when none.
 */
export function bearerToken(input: CredentialSource): string | null {
  const params = input.connectionParams;
  if (params) {
    const authorization = param(params, 'authorization');
    if (typeof authorization === 'string' && authorization.trim()) {
      return bearerFrom(authorization, 'connectionParams.authorization');
    }
    const accessToken = param(params, 'accessToken');
    if (typeof accessToken === 'string' && accessToken.trim()) return accessToken.trim();
    if (authorization !== undefined || accessToken !== undefined) {
      throw unauthenticated('connectionParams.authorization must be "Bearer <access token>"');
    }
  }
  const header = input.headers['authorization'];
  if (header === undefined || header.trim() === '') return null;
  return bearerFrom(header, 'The Authorization header');
}

/**
 * Who is calling: null for anonymous requests; a token that does not verify fails the whole
 * request with UNAUTHENTICATED (HTTP 401), or UNAVAILABLE (503) when keys cannot be fetched.
 * Meant for context functions, which run before any resolver: the error is a GraphQLError
 * carrying its HTTP status, wrapping the verifier's DomainError.
 */
export async function authenticate(input: CredentialSource, verifier: TokenVerifier): Promise<Viewer | null> {
  try {
    const token = bearerToken(input);
    return token === null ? null : await verifier.verify(token);
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    const status = err.code === ErrorCode.UNAUTHENTICATED ? 401 : err.code === ErrorCode.UNAVAILABLE ? 503 : 400;
    throw new GraphQLError(err.message, { originalError: err, extensions: { code: err.code, http: { status } } });
  }
}
