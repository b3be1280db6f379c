import type { DisplayStatus } from '../../gql/graphql';
import { StatusBadge, formatDateTime } from '../../ui';
import type { FeedState } from './live';
import { STATUS_HINT, STATUS_LABEL, playingState } from './status';

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

/**
 * What a display plays, in words that agree with its status: "Autumn Sale poster" when it is on air; "Last played
 * Autumn Sale poster, 12 Mar 14:05" when it is offline; the creative's name when known, else "a creative".
 */
export function NowPlayingText({
  status,
  nowPlaying,
  timeZone,
}: {
  status: DisplayStatus;
  nowPlaying: { creativeId?: string | null; reportedAt: string; creative?: { name: string } | null } | null | undefined;
  timeZone?: string;
}) {
  const state = playingState(status, nowPlaying);
  const name = nowPlaying?.creative?.name ?? 'a creative no longer in the library';
  if (state.kind === 'nothing') return <span className="muted">Nothing reported</span>;
  if (state.kind === 'playing')
    return (
      <span data-now="playing">
        <span aria-hidden="true">▶ </span>
        {name}
      </span>
    );
  return (
    <span data-now="last" className="fleet-last-played">
      Last played {name}, <time dateTime={state.at}>{formatDateTime(state.at, timeZone)}</time>
    </span>
  );
}
