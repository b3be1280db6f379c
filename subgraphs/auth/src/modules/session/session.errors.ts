import { unauthenticated } from '@phub/kit';

export const badCredentials = () => unauthenticated('Email or password is incorrect');
export const accountDeactivated = () => unauthenticated('This account has been deactivated; ask your HQ admin');
export const refreshTokenInvalid = () => unauthenticated('Refresh token is not valid; sign in again');
export const refreshTokenExpired = () => unauthenticated('Refresh token has expired; sign in again');
export const refreshTokenReused = () =>
  unauthenticated('Refresh token was already used, so the session has been revoked for safety; sign in again');
export const sessionRevoked = () => unauthenticated('This session has been revoked; sign in again');
export const invitationInvalid = () => unauthenticated('Invitation is not valid or has expired; ask for a new one');
export const displayInactive = () => unauthenticated('This display is no longer active; pair the player again');
