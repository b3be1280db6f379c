import { AsyncLocalStorage } from 'node:async_hooks';
import type { OutgoingMessage } from './bus/bus.js';

/** The header a request id travels in: HTTP requests, gateway → subgraph fetches, and bus messages. */
export const REQUEST_ID_HEADER = 'x-request-id';

const storage = new AsyncLocalStorage<{ requestId: string }>();

/**
 * Runs `fn` as part of one request (an HTTP request, or the handling of a bus message that one caused):
 * every log line and every event published inside it carries the id, however deep the call that makes it.
 */
export function runWithRequestId<T>(requestId: string | undefined, fn: () => T): T {
  return requestId ? storage.run({ requestId }, fn) : fn();
}

/** The id of the request this code runs for, if any. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** Messages with the current request id as a header, unless they name one themselves. */
export function withRequestId<M extends Pick<OutgoingMessage, 'headers'>>(messages: M[]): M[] {
  const requestId = currentRequestId();
  if (!requestId) return messages;
  return messages.map((m) =>
    m.headers?.[REQUEST_ID_HEADER] ? m : { ...m, headers: { ...m.headers, [REQUEST_ID_HEADER]: requestId } },
  );
}
