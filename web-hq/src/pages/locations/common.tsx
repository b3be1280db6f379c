import { useState, type ReactNode } from 'react';
import type { CombinedError } from 'urql';
import { useSession } from '@phub/web-kit';
import { Button, Dialog, ErrorNotice, Field } from '../../ui';
import { parseTags } from './manage';

/** Stores, displays, zones and groups are changed by HQ admins (the graph refuses others). */
export function useCanManage(): boolean {
  return useSession().hasRole('HQ_ADMIN');
}

export function TagList({ tags }: { tags: readonly string[] }) {
  if (!tags.length) return <span className="muted">None</span>;
  return (
    <span className="chips">
      {tags.map((t) => (
        <span key={t} className="tag">
          {t}
        </span>
      ))}
    </span>
  );
}

/** A tags input whose text the form parses on save; invalid tags are named under it. */
export function TagsField({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (v: string) => void;
  error?: string | null;
}) {
  return (
    <Field label="Tags" hint="Separated by commas, e.g. window, flagship" error={error}>
      <input value={value} onChange={(e) => onChange(e.target.value)} />
    </Field>
  );
}

export function tagsOrHint(text: string): { tags: string[]; hint: string | null } {
  const { tags, invalid } = parseTags(text);
  return {
    tags,
    hint: invalid.length ? `Tags use letters, digits, :, _ or - only: ${invalid.join(', ')}` : null,
  };
}

/** Asks before archiving; the action's error stays in the dialog. */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  busy,
  error,
  onConfirm,
  onClose,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busy?: boolean;
  error?: CombinedError | null;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <Dialog
      open
      title={title}
      onClose={onClose}
      actions={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="danger" busy={busy} onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      <div className="stack">
        {children}
        <ErrorNotice error={error ?? null} />
      </div>
    </Dialog>
  );
}

/** A form in a dialog: Save submits, Cancel closes; validation hints and the graph's error inside. */
export function FormDialog({
  title,
  saveLabel = 'Save',
  busy,
  error,
  onSave,
  onClose,
  children,
}: {
  title: string;
  saveLabel?: string;
  busy?: boolean;
  error?: CombinedError | null;
  onSave: () => void;
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <Dialog
      open
      title={title}
      onClose={onClose}
      actions={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" busy={busy} onClick={onSave}>
            {saveLabel}
          </Button>
        </>
      }
    >
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          onSave();
        }}
      >
        {children}
        <ErrorNotice error={error ?? null} />
      </form>
    </Dialog>
  );
}

/** State of an edit or archive dialog: which row, or a new one. */
export function useDialog<T>() {
  const [state, setState] = useState<{ kind: 'edit' | 'new' | 'archive'; row?: T } | null>(null);
  return {
    state,
    open: (kind: 'edit' | 'new' | 'archive', row?: T) => setState({ kind, row }),
    close: () => setState(null),
  };
}
