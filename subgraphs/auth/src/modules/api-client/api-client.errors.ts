import { badInput, conflict, DomainError, ErrorCode, notFound } from '@phub/kit';

export const apiClientNotFound = (id: string) => notFound('API client', id);
export const apiClientRevoked = (id: string) => conflict(`API client ${id} is revoked`, { id });
// RFC 6749 error names ride along in details, so the token endpoint can answer in OAuth terms.
export const clientAuthFailed = () =>
  new DomainError(
    ErrorCode.UNAUTHENTICATED,
    'Client authentication failed: unknown client, wrong secret or revoked client',
    { oauthError: 'invalid_client' },
  );
export const scopeNotGranted = (scopes: string[]) =>
  badInput(`scope: ${scopes.join(' ')} is not granted to this client`, { oauthError: 'invalid_scope', scopes });
