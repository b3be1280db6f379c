import { createHash } from 'node:crypto';
import { BuiltInCreativeKind } from './creative.entity.js';

/**
 * What a playlist item of a built-in creative carries. The URL names the content instead of locating a file
 * (players recognise the MIME type and draw it from the graph; nothing is fetched or cached), and the
 * checksum is that of the URL, so the item is as well-formed as any other and a new format version (a new
 * URL) changes playlist versions.
 */
export interface BuiltIn {
  url: string;
  mimeType: string;
  checksum: string;
}

const builtIn = (url: string, mimeType: string): BuiltIn => ({
  url,
  mimeType,
  checksum: createHash('sha256').update(url).digest('hex'),
});

export const BUILT_IN: Record<BuiltInCreativeKind, BuiltIn> = {
  [BuiltInCreativeKind.QUEUE_BOARD]: builtIn('phub:builtin/queue-board/v1', 'application/vnd.phub.queue-board'),
};
