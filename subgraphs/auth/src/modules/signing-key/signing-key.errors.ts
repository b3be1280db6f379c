import { DomainError, ErrorCode } from '@phub/kit';

export const noActiveSigningKey = () =>
  new DomainError(ErrorCode.UNAVAILABLE, 'No signing key is active yet; the auth service is still starting');
