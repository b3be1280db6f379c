import { useEffect, type ReactNode } from 'react';

export interface PageProps {
  title: string;
  /** Buttons and links shown beside the title */
  actions?: ReactNode;
  /** A line under the title */
  description?: ReactNode;
  children?: ReactNode;
}

/** A page of the dashboard: its h1, a toolbar of actions and the content. Sets the document title. */
export function Page({ title, actions, description, children }: PageProps) {
  useEffect(() => {
    document.title = `${title} — Personalisation Hub HQ`;
  }, [title]);
  return (
    <div className="page">
      <header className="page-header">
        <div className="page-heading">
          <h1 id="page-title" tabIndex={-1}>
            {title}
          </h1>
          {description ? <p className="page-description">{description}</p> : null}
        </div>
        {actions ? (
          <div className="toolbar" role="toolbar" aria-label={`${title} actions`}>
            {actions}
          </div>
        ) : null}
      </header>
      {children}
    </div>
  );
}

/** A titled block of a page. */
export function Section({
  title,
  actions,
  children,
  id,
}: {
  title: string;
  actions?: ReactNode;
  children?: ReactNode;
  id?: string;
}) {
  const headingId = `${id ?? title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-heading`;
  return (
    <section className="section" aria-labelledby={headingId} id={id}>
      <div className="section-header">
        <h2 id={headingId}>{title}</h2>
        {actions ? <div className="toolbar">{actions}</div> : null}
      </div>
      {children}
    </section>
  );
}
