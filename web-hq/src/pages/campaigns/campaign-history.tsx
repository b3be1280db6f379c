import { Empty, StatusBadge, formatDateTime, statusLabel } from '../../ui';

export interface Transition {
  id: string;
  action: string;
  fromStatus?: string | null;
  toStatus: string;
  actorId: string;
  reason?: string | null;
  storeId?: string | null;
  occurredAt: string;
}

const who = (actorId: string, viewerId: string) =>
  actorId === viewerId ? 'you' : actorId === 'system' ? 'the platform (automatic)' : `user …${actorId.slice(-6)}`;

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
            <time dateTime={t.occurredAt}>{formatDateTime(t.occurredAt)}</time> by {who(t.actorId, viewerId)}
            {t.storeId ? ` (store …${t.storeId.slice(-4)})` : ''}
          </div>
          {t.reason ? <div>“{t.reason}”</div> : null}
        </li>
      ))}
    </ol>
  );
}
