import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { CombinedErrorLike } from '@phub/web-kit';
import { addToast, errorToast, MAX_TOASTS, type ToastItem, type ToastKind } from './toast-state';

export type { ToastKind } from './toast-state';

export interface ToastOptions {
  /** What the toast is about (e.g. `alert:<id>`): a success clears the error toasts of its topic. */
  topic?: string;
}

export interface Toasts {
  show(message: string, kind?: ToastKind, options?: ToastOptions): void;
  /** Also clears the error toasts it answers (its topic's, or all without one). */
  success(message: string, options?: ToastOptions): void;
  /** `context` says what failed; the error's code is explained in words, the code itself under "Details". */
  error(context: string, error?: CombinedErrorLike | Error | string, options?: ToastOptions): void;
  info(message: string, options?: ToastOptions): void;
}

const ToastContext = createContext<Toasts | null>(null);

/** Where toasts span the screen's width (styles.css); the same width as the CSS rule for `.toaster--top`. */
const PHONE = '(max-width: 640px)';

/**
 * Provides useToast() to the app and renders the messages in live regions (errors: assertive), at most
 * `max` at a time; they leave after `timeoutMs` (errors twice that), but not while pointed at or focused.
 */
export function Toaster({
  children,
  timeoutMs = 6000,
  max = MAX_TOASTS,
}: {
  children?: ReactNode;
  timeoutMs?: number;
  max?: number;
}) {
  const [items, setItems] = useState<ToastItem[]>([]);
  const next = useRef(1);
  // While the pointer or focus is on a toast, none leaves (time to read it, or to open its details: WCAG 2.2.1).
  const held = useRef(false);
  // On a phone the toasts span the width: at the bottom they covered a Save button just tapped there (and an error
  // toast stays while touched). Each toast goes to the half of the screen away from the last tap or focus.
  const lastY = useRef<number | null>(null);
  const [top, setTop] = useState(false);
  useEffect(() => {
    const note = (e: Event) => {
      if (e instanceof PointerEvent) lastY.current = e.clientY;
      else if (e.target instanceof Element) {
        const r = e.target.getBoundingClientRect();
        lastY.current = r.top + r.height / 2;
      }
    };
    document.addEventListener('pointerdown', note, true);
    document.addEventListener('focusin', note, true);
    return () => {
      document.removeEventListener('pointerdown', note, true);
      document.removeEventListener('focusin', note, true);
    };
  }, []);
  const dismiss = useCallback((id: number) => setItems((all) => all.filter((t) => t.id !== id)), []);
  const expire = useCallback(
    (id: number, ms: number) => {
      const tick = () => (held.current ? setTimeout(tick, ms / 2) : dismiss(id));
      setTimeout(tick, ms);
    },
    [dismiss],
  );
  const push = useCallback(
    (item: Omit<ToastItem, 'id'>) => {
      const id = next.current++;
      setTop(window.matchMedia(PHONE).matches && lastY.current !== null && lastY.current > window.innerHeight / 2);
      setItems((all) => addToast(all, { ...item, id }, max));
      expire(id, item.kind === 'error' ? timeoutMs * 2 : timeoutMs);
    },
    [expire, timeoutMs, max],
  );
  const hold = (on: boolean) => () => {
    held.current = on;
  };
  const api = useMemo<Toasts>(
    () => ({
      show: (message, kind = 'info', options) => push({ kind, message, topic: options?.topic }),
      success: (message, options) => push({ kind: 'success', message, topic: options?.topic }),
      error: (context, error, options) =>
        push({ kind: 'error', ...errorToast(context, error ?? ''), topic: options?.topic }),
      info: (message, options) => push({ kind: 'info', message, topic: options?.topic }),
    }),
    [push],
  );
  const render = (kinds: ToastKind[]) =>
    items
      .filter((t) => kinds.includes(t.kind))
      .map((t) => (
        <div key={t.id} className={`toast toast--${t.kind}`} data-toast-kind={t.kind}>
          <div className="toast-body">
            <span>{t.message}</span>
            {t.code ? (
              <details className="toast-details">
                <summary>Details</summary>
                <p>
                  Code <code data-error-code={t.code}>{t.code}</code>
                </p>
                {t.details?.length ? (
                  <ul>
                    {t.details.map((d) => (
                      <li key={d}>{d}</li>
                    ))}
                  </ul>
                ) : null}
              </details>
            ) : null}
          </div>
          <button type="button" className="button button--ghost" onClick={() => dismiss(t.id)} aria-label="Dismiss">
            ×
          </button>
        </div>
      ));
  return (
    <ToastContext.Provider value={api}>
      {children}
      <div
        className={top ? 'toaster toaster--top' : 'toaster'}
        onMouseEnter={hold(true)}
        onMouseLeave={hold(false)}
        onFocus={hold(true)}
        onBlur={hold(false)}
      >
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
