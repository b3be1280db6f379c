import type { Role } from '@phub/web-kit';
import type {
  AemAuthKind,
  AemErrorCode,
  AemSourceStatus,
  CreateContentSourceInput,
  UpdateContentSourceInput,
} from '../../gql/graphql';

/** Who sees the sources and their health (the content subgraph's SOURCE_READERS). */
export const SOURCE_READERS: readonly Role[] = ['HQ_ADMIN', 'HQ_EDITOR', 'HQ_VIEWER'];
/** Who adds, changes, tests and removes them (its MANAGERS). */
export const SOURCE_MANAGERS: readonly Role[] = ['HQ_ADMIN'];

export interface AuthKindInfo {
  kind: AemAuthKind;
  label: string;
  hint: string;
  /** What the secret is called for this kind, or null when the kind has none. */
  secretLabel: string | null;
  /** The secret is a JSON document (a textarea), not one line. */
  multiline: boolean;
}

export const AUTH_KINDS: readonly AuthKindInfo[] = [
  {
    kind: 'BASIC',
    label: 'User and password (AEM 6.5)',
    hint: 'HTTP basic with a local AEM user that may read the content',
    secretLabel: 'Password',
    multiline: false,
  },
  {
    kind: 'SERVICE_CREDENTIALS',
    label: 'Service credentials (AEM as a Cloud Service)',
    hint: 'The JSON from the Developer Console’s “Service Credentials”; exchanged for access tokens',
    secretLabel: 'Service credentials JSON',
    multiline: true,
  },
  {
    kind: 'BEARER',
    label: 'Bearer token',
    hint: 'A fixed token, e.g. an AEM as a Cloud Service local development token (expires within a day)',
    secretLabel: 'Token',
    multiline: false,
  },
  {
    kind: 'NONE',
    label: 'No sign-in',
    hint: 'A publish service that serves its content to anyone',
    secretLabel: null,
    multiline: false,
  },
];

export const authKindInfo = (kind: AemAuthKind): AuthKindInfo => AUTH_KINDS.find((k) => k.kind === kind)!;

/** What an AEM read's failure code means to an HQ admin, and what to do about it. */
const FAILURES: Record<AemErrorCode, string> = {
  UNREACHABLE: 'AEM cannot be reached: check the base URL, and that AEM (or the proxy) is up.',
  TIMEOUT: 'AEM took too long to answer. It may be overloaded; try again shortly.',
  SERVER_ERROR: 'AEM (or the dispatcher or CDN in front of it) answered with a server error.',
  UNAUTHORIZED: 'AEM refused the credentials: the user, password or token is wrong or has expired.',
  FORBIDDEN: 'The credentials are accepted but may not read the content: grant the AEM user read access.',
  NOT_FOUND: 'AEM has nothing at that address: check the base URL and its context path.',
  RATE_LIMITED: 'AEM is limiting how often it may be asked: reads resume shortly.',
  MALFORMED_RESPONSE: 'The answer is not what AEM sends: is the base URL really an AEM service?',
  TOO_MANY_RESULTS: 'AEM’s answer is over its result limit.',
  UNEXPECTED_STATUS: 'AEM answered in a way it does not document: is the base URL really an AEM service?',
  CIRCUIT_OPEN: 'Reads failed too often lately, so they pause for a while before a new attempt.',
  EGRESS_REFUSED: 'The platform may only reach outside parties through its proxy, and this address bypasses it.',
  TOKEN_EXCHANGE_FAILED:
    'The service credentials could not be exchanged for an access token: they may be revoked or incomplete.',
};

export interface HealthView {
  status: AemSourceStatus;
  /** The status in words, for the badge */
  label: string;
  /** A sentence about the last check */
  summary: string;
  /** The failure in words (FAILING only) */
  problem: string | null;
}

export interface HealthLike {
  status: AemSourceStatus;
  lastSuccessAt?: string | null;
  lastErrorAt?: string | null;
  lastErrorCode?: AemErrorCode | null;
  consecutiveFailures: number;
}

/** A source's health for people: the status, when it was last seen working or failing, and why it fails. */
export function describeHealth(health: HealthLike, formatDate: (iso: string) => string): HealthView {
  switch (health.status) {
    case 'OK':
      return {
        status: health.status,
        label: 'Connected',
        summary: health.lastSuccessAt
          ? `Last read worked ${formatDate(health.lastSuccessAt)}.`
          : 'The last read worked.',
        problem: null,
      };
    case 'FAILING': {
      const times = health.consecutiveFailures === 1 ? 'once' : `${health.consecutiveFailures} times in a row`;
      const when = health.lastErrorAt ? ` Last failure ${formatDate(health.lastErrorAt)}.` : '';
      const worked = health.lastSuccessAt ? ` Last worked ${formatDate(health.lastSuccessAt)}.` : ' Never worked yet.';
      return {
        status: health.status,
        label: 'Failing',
        summary: `${health.consecutiveFailures > 0 ? `Reads failed ${times}.` : 'The last read failed.'}${when}${worked}`,
        problem: health.lastErrorCode
          ? FAILURES[health.lastErrorCode]
          : 'The last read from AEM failed for an unknown reason.',
      };
    }
    default:
      return {
        status: health.status,
        label: 'Not checked yet',
        summary: 'Nothing has been read from it yet: test the connection.',
        problem: null,
      };
  }
}

export interface SourceForm {
  name: string;
  baseUrl: string;
  authKind: AemAuthKind;
  username: string;
  /** Empty on an edit: the stored secret stays */
  secret: string;
}

export type SourceField = 'name' | 'baseUrl' | 'authKind' | 'username' | 'secret';
export type SourceProblems = Partial<Record<SourceField, string>>;

export interface StoredSource {
  name: string;
  baseUrl: string;
  authKind: AemAuthKind;
  username?: string | null;
  hasSecret: boolean;
}

export const emptySourceForm = (): SourceForm => ({
  name: '',
  baseUrl: '',
  authKind: 'BASIC',
  username: '',
  secret: '',
});

export const sourceFormFrom = (s: StoredSource): SourceForm => ({
  name: s.name,
  baseUrl: s.baseUrl,
  authKind: s.authKind,
  username: s.username ?? '',
  secret: '',
});

/**
 * What can be said before asking the graph (it checks again, and more: https only unless allowed, no credentials
 * in the URL). `stored` is the source being edited: its secret may stay unless the kind of sign-in changes.
 */
export function sourceProblems(form: SourceForm, stored?: StoredSource): SourceProblems {
  const p: SourceProblems = {};
  const name = form.name.trim();
  if (!name) p.name = 'Enter a name.';
  else if (name.length > 120) p.name = 'At most 120 characters.';
  const url = form.baseUrl.trim();
  if (!url) p.baseUrl = 'Enter the address of the AEM service.';
  else if (!isAbsoluteHttpUrl(url))
    p.baseUrl = 'Enter a full address starting with https://, e.g. https://author.example.com';
  const info = authKindInfo(form.authKind);
  if (form.authKind === 'BASIC' && !form.username.trim()) p.username = 'Enter the AEM user.';
  const keepsSecret = stored && stored.authKind === form.authKind && stored.hasSecret;
  if (info.secretLabel && !form.secret && !keepsSecret) p.secret = `Enter the ${info.secretLabel.toLowerCase()}.`;
  if (form.authKind === 'SERVICE_CREDENTIALS' && form.secret && !looksLikeJsonObject(form.secret)) {
    p.secret = 'Paste the whole JSON from the Developer Console (it starts with “{”).';
  }
  return p;
}

function isAbsoluteHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && !!url.hostname;
  } catch {
    return false;
  }
}

function looksLikeJsonObject(value: string): boolean {
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

export function createInput(form: SourceForm): CreateContentSourceInput {
  const needsSecret = authKindInfo(form.authKind).secretLabel !== null;
  return {
    name: form.name.trim(),
    baseUrl: form.baseUrl.trim(),
    authKind: form.authKind,
    username: form.authKind === 'BASIC' ? form.username.trim() : null,
    secret: needsSecret ? form.secret : null,
  };
}

/** Only what changed; an empty secret is left out, so the stored one stays (the graph never sends it back). */
export function updateInput(id: string, form: SourceForm, stored: StoredSource): UpdateContentSourceInput {
  const input: UpdateContentSourceInput = { id };
  if (form.name.trim() !== stored.name) input.name = form.name.trim();
  if (form.baseUrl.trim() !== stored.baseUrl) input.baseUrl = form.baseUrl.trim();
  if (form.authKind !== stored.authKind) input.authKind = form.authKind;
  if (form.authKind === 'BASIC' && form.username.trim() !== (stored.username ?? '')) {
    input.username = form.username.trim();
  }
  if (authKindInfo(form.authKind).secretLabel && form.secret) input.secret = form.secret;
  return input;
}

export const hasChanges = (input: UpdateContentSourceInput): boolean => Object.keys(input).length > 1;

const FIELDS: readonly SourceField[] = ['name', 'baseUrl', 'authKind', 'username', 'secret'];

interface GraphQLErrorLike {
  message: string;
  extensions?: Record<string, unknown> | null;
}

/**
 * The platform's field messages (BAD_USER_INPUT and CONFLICT name the field in `extensions.field`, argument
 * validation lists them in `extensions.fields`), by the form's fields; `rest` says whether errors remain that
 * belong to no field (shown as a notice).
 */
export function serverFieldProblems(errors: readonly GraphQLErrorLike[] | undefined): {
  fields: SourceProblems;
  rest: boolean;
} {
  const fields: SourceProblems = {};
  let rest = false;
  for (const e of errors ?? []) {
    const named = fieldOf(e.extensions?.field);
    const listed = Array.isArray(e.extensions?.fields)
      ? (e.extensions.fields as { field?: string; messages?: string[] }[])
      : [];
    if (named) {
      fields[named] ??= e.message;
    } else if (listed.length) {
      for (const f of listed) {
        const field = fieldOf(f.field?.replace(/^input\./, ''));
        if (field) fields[field] ??= (f.messages ?? []).join(', ');
        else rest = true;
      }
    } else {
      rest = true;
    }
  }
  return { fields, rest };
}

function fieldOf(value: unknown): SourceField | null {
  return typeof value === 'string' && (FIELDS as readonly string[]).includes(value) ? (value as SourceField) : null;
}
