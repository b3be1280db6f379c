import { describeError, type CombinedErrorLike } from '@phub/web-kit';

export type ToastKind = 'success' | 'error' | 'info';

export interface ToastItem {
  id: number;
  kind: ToastKind;
  /** A sentence a person reads: what happened and what to do. */
  message: string;
  /** Shown behind a "Details" disclosure: the error's stable code and the platform's own messages. */
  code?: string;
  details?: string[];
  /** What the toast is about (e.g. "alert:42"): a success clears the errors of its topic. */
  topic?: string;
}

/** At most this many toasts are on screen; the oldest leave first. */
export const MAX_TOASTS = 3;

/**
 * The toasts after `item` arrives: a success clears the error toasts it answers (those of its topic, or every error
 * when either has no topic); an error replaces the earlier errors of its topic; the same message again replaces the
 * older one; at most `max` stay, newest last.
 */
export function addToast(all: readonly ToastItem[], item: ToastItem, max = MAX_TOASTS): ToastItem[] {
  const answered = (t: ToastItem) =>
    item.kind === 'success' && t.kind === 'error' && (!item.topic || !t.topic || t.topic === item.topic);
  const repeated = (t: ToastItem) => t.kind === item.kind && t.message === item.message && t.topic === item.topic;
  // The latest failure of a topic is the one that matters (a retry failing otherwise).
  const superseded = (t: ToastItem) =>
    item.kind === 'error' && t.kind === 'error' && !!item.topic && t.topic === item.topic;
  return [...all.filter((t) => !answered(t) && !repeated(t) && !superseded(t)), item].slice(-Math.max(1, max));
}

/**
 * An error toast in words: `context` says what failed ("Could not acknowledge the alert"), then what the error's code
 * means; the code and the platform's messages go to the details.
 */
export function errorToast(
  context: string,
  error: CombinedErrorLike | Error | string,
): Pick<ToastItem, 'message' | 'code' | 'details'> {
  if (typeof error === 'string') return { message: sentence(context, error) };
  const view = describeError(error);
  return { message: sentence(context, view.hint), code: view.code, details: view.details };
}

const sentence = (context: string, rest: string) => {
  const head = context.trim().replace(/[.:]$/, '');
  return head ? `${head}. ${rest}` : rest;
};
