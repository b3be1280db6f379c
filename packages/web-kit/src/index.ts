// What the web apps share (web-hq, web-retail): the graph client and session, sign-in, errors by code, form parts.
export {
  createGraphQLClient,
  GraphQLProvider,
  isAuthError,
  PUBLIC_CONTEXT,
  RefreshTokenMutation,
  type GraphQLClientHandle,
} from './client';
export { basenameFrom, graphqlUrl, graphqlWsUrl } from './config';
export { describeError, errorCode, fieldErrors, type CombinedErrorLike, type ErrorView } from './errors';
export {
  HQ_ROLES,
  ROLE_LABELS,
  SessionError,
  SessionProvider,
  SignedOutSession,
  useSession,
  type Role,
  type Session,
  type Viewer,
} from './session';
export { createTokenStore, TokenStore, type Tokens } from './token-store';
export { createCookieSession, type Renewal, type SessionRenewer } from './cookie-session';
export { Button, type ButtonProps, type ButtonVariant } from './button';
export { Empty, ErrorNotice, Loading, Notice } from './feedback';
export { Field, type FieldControlProps, type FieldProps } from './field';
export { SignInPage, type SignInPageProps } from './sign-in';
export {
  normalisePairingCode,
  PairDisplayForm,
  type PairDisplayFormProps,
  type PairingKindChoice,
} from './pair-display';
