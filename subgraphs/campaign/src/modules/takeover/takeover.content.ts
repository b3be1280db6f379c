import { createHash } from 'node:crypto';
import type { Creative as EngineCreative, Takeover } from '../../engine/index.js';
import { messageEmpty, messageInvalid, messageTooLong } from './takeover.errors.js';
import { TAKEOVER_MESSAGE_MAX } from './takeover.input.js';
import type { StoreTakeover } from './takeover.entity.js';

/**
 * A message takeover is a built-in content kind, like the queue board: its URL names the content instead of
 * locating a file (the text travels in it, so a player that goes offline keeps showing it from its stored
 * playlist), the player recognises the MIME type and draws the text itself.
 */
export const TAKEOVER_MESSAGE_MIME = 'application/vnd.phub.takeover-message';
export const TAKEOVER_MESSAGE_URL = 'phub:builtin/takeover-message/v1';
/** One play of the message in proof of play; it loops for as long as the takeover lasts. */
export const TAKEOVER_MESSAGE_DURATION_MS = 60_000;
const MAX_LINES = 4;

// Control characters other than the line break: nothing a person means to show on a screen.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

/** The message as stored and shown: trimmed, line breaks normalised, or BAD_USER_INPUT with a reason. */
export function normaliseMessage(raw: string): string {
  const text = raw
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .trim();
  if (!text) throw messageEmpty();
  if ([...text].length > TAKEOVER_MESSAGE_MAX) throw messageTooLong();
  if (CONTROL.test(text)) throw messageInvalid('control characters are not allowed');
  if (text.split('\n').length > MAX_LINES) throw messageInvalid(`at most ${MAX_LINES} lines`);
  return text;
}

/** The engine's creative for a message takeover: the takeover is its own creative (proof of play names it). */
export function messageCreative(takeoverId: string, message: string): EngineCreative {
  const url = `${TAKEOVER_MESSAGE_URL}?text=${encodeURIComponent(message)}`;
  return {
    id: takeoverId,
    kind: 'TAKEOVER_MESSAGE',
    url,
    mimeType: TAKEOVER_MESSAGE_MIME,
    durationMs: TAKEOVER_MESSAGE_DURATION_MS,
    checksum: createHash('sha256').update(url).digest('hex'),
  };
}

/** A stored takeover as the engine sees it; null when its creative can no longer play. */
export function toEngineTakeover(row: StoreTakeover, creative: EngineCreative | null): Takeover | null {
  const content = row.message !== null ? messageCreative(row.id, row.message) : creative;
  if (!content) return null;
  return {
    kind: 'takeover',
    id: row.id,
    storeId: row.storeId,
    creative: content,
    startsAt: row.createdAt,
    createdAt: row.createdAt,
  };
}
