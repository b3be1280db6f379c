/** Colour and a symbol and the words: a status never relies on colour alone. */
const TONES: Record<string, { tone: string; symbol: string }> = {
  DRAFT: { tone: 'neutral', symbol: '✎' },
  IN_REVIEW: { tone: 'info', symbol: '◔' },
  APPROVED: { tone: 'info', symbol: '✓' },
  LIVE: { tone: 'success', symbol: '●' },
  PAUSED: { tone: 'warning', symbol: '❚❚' },
  ENDED: { tone: 'neutral', symbol: '■' },
  ARCHIVED: { tone: 'muted', symbol: '▭' },
  READY: { tone: 'success', symbol: '✓' },
  PENDING_UPLOAD: { tone: 'info', symbol: '◔' },
  FAILED: { tone: 'danger', symbol: '✕' },
  ONLINE: { tone: 'success', symbol: '●' },
  OFFLINE: { tone: 'danger', symbol: '○' },
  NOT_PLAYING_EXPECTED: { tone: 'warning', symbol: '!' },
  UNKNOWN: { tone: 'muted', symbol: '?' },
  RAISED: { tone: 'danger', symbol: '!' },
  ACKNOWLEDGED: { tone: 'warning', symbol: '◔' },
  RESOLVED: { tone: 'success', symbol: '✓' },
  ACTIVE: { tone: 'success', symbol: '●' },
  INVITED: { tone: 'info', symbol: '✉' },
  DEACTIVATED: { tone: 'muted', symbol: '○' },
  // An AEM source's health.
  OK: { tone: 'success', symbol: '✓' },
  FAILING: { tone: 'danger', symbol: '✕' },
};

export function statusLabel(status: string): string {
  const words = status.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function StatusBadge({ status, label }: { status: string; label?: string }) {
  const { tone, symbol } = TONES[status] ?? { tone: 'neutral', symbol: '•' };
  return (
    <span className={`badge badge--${tone}`} data-status={status}>
      <span aria-hidden="true" className="badge-symbol">
        {symbol}
      </span>
      {label ?? statusLabel(status)}
    </span>
  );
}
