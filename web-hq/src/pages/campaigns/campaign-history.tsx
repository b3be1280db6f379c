import { Empty, StatusBadge, formatDateTime, statusLabel } from '../../ui';

export interface Transition {
  id: string;
  action: string;
  fromStatus?: string | null;
  toStatus: string;
  actorId: string;
  /** Resolved by auth; null for automatic steps and seeded data */
  actor?: { displayName: string } | null;
  reason?: string | null;
  storeId?: string | null;
  occurredAt: string;
}

export const who = (t: Pick<Transition, 'actorId' | 'actor'>, viewerId: string): string =>
  t.actorId === viewerId
    ? 'you'
    : t.actorId === 'system'
      ? 'the platform (automatic)'
      : t.actor?.displayName || `user …${t.actorId.slice(-6)}`;

/** Every transition, newest first: what happened, by whom, when and why. */
export function CampaignHistory({ history, viewerId }: { history: readonly Transition[]; viewerId: string }) {
  if (!history.length) return <Empty title="No history yet." />;
  return (
    <ol className="history" aria-label="Transitions, newest first">
      {[...history].reverse().map((t) => (
        <li key={t.id}>
          <div className="row">
            <strong>{statusLabel(t.action)}</strong>
            {t.fromStatus && t.fromStatus !== t.toStatus ? (
              <>
                <StatusBadge status={t.fromStatus} />
                <span aria-label="to">→</span>
              </>
            ) : null}
            <StatusBadge status={t.toStatus} />
          </div>
          <div className="history-when">
            <time dateTime={t.occurredAt}>{formatDateTime(t.occurredAt)}</time> by {who(t, viewerId)}
            {t.storeId ? ` (store …${t.storeId.slice(-4)})` : ''}
          </div>
          {t.reason ? <div>“{t.reason}”</div> : null}
        </li>
      ))}
    </ol>
  );
}
