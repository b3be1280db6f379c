import type { ReactNode } from 'react';
import { describeError, type CombinedErrorLike } from './errors';

/** A polite live region that says something is loading. */
export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

/** Nothing to show, and what to do about it. */
export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty" role="status">
      <p className="empty-title">{title}</p>
      {children ? <div className="empty-body">{children}</div> : null}
    </div>
  );
}

/** Shows an error by its `extensions.code` in words: what it means and what to do; the code itself under "Details". */
export function ErrorNotice({
  error,
  onRetry,
  messages,
}: {
  error: CombinedErrorLike | Error | undefined | null;
  onRetry?: () => void;
  /** What this page says for some codes instead (e.g. sign-in: UNAUTHENTICATED is a wrong password) */
  messages?: Partial<Record<string, { title: string; hint: string }>>;
}) {
  if (!error) return null;
  const view = describeError(error, messages);
  // Field problems and conflicts are best said in the platform's own words; other messages are for support.
  const spoken = view.code === 'BAD_USER_INPUT' || view.code === 'CONFLICT' ? view.details : [];
  const technical = view.details.filter((d) => !spoken.includes(d));
  return (
    <div className="notice notice--error" role="alert" data-error-code={view.code}>
      <p className="notice-title">{view.title}</p>
      <p>{view.hint}</p>
      {spoken.length ? (
        <ul className="notice-details">
          {spoken.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
      ) : null}
      <details className="notice-more">
        <summary>Details</summary>
        <p>
          Code <code className="notice-code">{view.code}</code>
        </p>
        {technical.length ? (
          <ul className="notice-details">
            {technical.map((d) => (
              <li key={d}>{d}</li>
            ))}
          </ul>
        ) : null}
      </details>
      {onRetry ? (
        <button type="button" className="button button--secondary" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/** A neutral or warning note (not an error). */
export function Notice({ kind = 'info', children }: { kind?: 'info' | 'warning' | 'success'; children: ReactNode }) {
  return <div className={`notice notice--${kind}`}>{children}</div>;
}
