/** Words and tones of a display's status for people on the shop floor. */
export type DisplayStatus = 'ONLINE' | 'OFFLINE' | 'UNKNOWN' | 'NOT_PLAYING_EXPECTED';

export const STATUS_LABEL: Record<DisplayStatus, string> = {
  ONLINE: 'Playing',
  OFFLINE: 'Offline',
  UNKNOWN: 'Not reported yet',
  NOT_PLAYING_EXPECTED: 'Not playing what it should',
};

export const STATUS_TONE: Record<DisplayStatus, 'success' | 'danger' | 'muted' | 'warning'> = {
  ONLINE: 'success',
  OFFLINE: 'danger',
  UNKNOWN: 'muted',
  NOT_PLAYING_EXPECTED: 'warning',
};

export const ALERT_KIND_LABEL: Record<string, string> = {
  OFFLINE: 'Offline',
  NOT_PLAYING_EXPECTED: 'Not playing what it should',
  STALE_CONTENT: 'No plays reported',
};

/** "3 min ago", "2 h ago", or the time of day for older ones. */
export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const s = Math.round((now - Date.parse(iso)) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}

/** 14:05 in the viewer's locale. */
export const timeOfDay = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
