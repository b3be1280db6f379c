import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';

export type ToastKind = 'success' | 'error' | 'info';

interface ToastItem {
  id: number;
  kind: ToastKind;
  message: string;
}

export interface Toasts {
  show(message: string, kind?: ToastKind): void;
  success(message: string): void;
  error(message: string): void;
  info(message: string): void;
}

const ToastContext = createContext<Toasts | null>(null);

/** Provides useToast() to the app and renders the messages in live regions (errors: assertive). */
export function Toaster({ children, timeoutMs = 6000 }: { children?: ReactNode; timeoutMs?: number }) {
  const [items, setItems] = useState<ToastItem[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setItems((all) => all.filter((t) => t.id !== id)), []);
  const show = useCallback(
    (message: string, kind: ToastKind = 'info') => {
      const id = next.current++;
      setItems((all) => [...all.slice(-4), { id, kind, message }]);
      setTimeout(() => dismiss(id), kind === 'error' ? timeoutMs * 2 : timeoutMs);
    },
    [dismiss, timeoutMs],
  );
  const api = useMemo<Toasts>(
    () => ({
      show,
      success: (m) => show(m, 'success'),
      error: (m) => show(m, 'error'),
      info: (m) => show(m, 'info'),
    }),
    [show],
  );
  const render = (kinds: ToastKind[]) =>
    items
      .filter((t) => kinds.includes(t.kind))
      .map((t) => (
        <div key={t.id} className={`toast toast--${t.kind}`}>
          <span>{t.message}</span>
          <button type="button" className="button button--ghost" onClick={() => dismiss(t.id)} aria-label="Dismiss">
            ×
          </button>
        </div>
      ));
  return (
    <ToastContext.Provider value={api}>
      {children}
      <div className="toaster">
        <div role="status" aria-live="polite">
          {render(['success', 'info'])}
        </div>
        <div role="alert" aria-live="assertive">
          {render(['error'])}
        </div>
      </div>
    </ToastContext.Provider>
  );
}

export function useToast(): Toasts {
  const toasts = useContext(ToastContext);
  if (!toasts) throw new Error('useToast() needs a <Toaster> above it');
  return toasts;
}
