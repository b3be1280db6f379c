import type { DisplayStatus } from '../../gql/graphql';
import { StatusBadge, formatDateTime } from '../../ui';
import type { FeedState } from './live';
import { STATUS_HINT, STATUS_LABEL } from './status';

/** The shared badge (symbol, colour and words) with the fleet's words for each status. */
export function DisplayStatusBadge({ status }: { status: DisplayStatus }) {
  return (
    <span className="fleet-status" title={STATUS_HINT[status]}>
      <StatusBadge status={status} label={STATUS_LABEL[status]} />
    </span>
  );
}

const FEED_TEXT: Record<FeedState, string> = {
  connecting: 'Connecting live updates…',
  live: 'Live updates on',
  error: 'Live updates unavailable — reload to retry',
};

export function LiveFeedNote({ state }: { state: FeedState }) {
  return (
    <p className="fleet-live" data-state={state}>
      <span className="fleet-live-dot" aria-hidden="true" />
      {FEED_TEXT[state]}
    </p>
  );
}

export function LiveLog({ log }: { log: { key: string; text: string; status: DisplayStatus; at: string }[] }) {
  if (!log.length) return null;
  return (
    <div className="fleet-log">
      <h3>Latest changes</h3>
      <ul>
        {log.map((e) => (
          <li key={e.key} data-status={e.status}>
            <time dateTime={e.at}>{formatDateTime(e.at)}</time> {e.text}
          </li>
        ))}
      </ul>
    </div>
  );
}
