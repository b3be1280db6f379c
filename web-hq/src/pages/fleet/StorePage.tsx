import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router-dom';
import { useMutation, useQuery, useSubscription } from 'urql';
import { graphql } from '../../gql';
import type { AlertState, FleetStoreQuery } from '../../gql/graphql';
import { PairDisplayForm, useSession } from '@phub/web-kit';
import {
  Button,
  ButtonLink,
  Empty,
  ErrorNotice,
  Loading,
  Page,
  StatusBadge,
  formatDateTime,
  formatDuration,
  statusLabel,
  useCursorPager,
  useToast,
  ConnectionPager,
  Dialog,
} from '../../ui';
import { DisplayRemote } from './DisplayRemote';
import { StatusFeed, useLiveStatuses, type StatusChange } from './live';
import { DisplayStatusBadge, LiveFeedNote, LiveLog, NowPlayingText } from './parts';
import { countByStatus, describeChange, STATUSES, withLive } from './status';

const ALERT_PAGE = 20;
const ALERT_CONTEXT = { additionalTypenames: ['Alert'] };
const OPEN_STATES: AlertState[] = ['RAISED', 'ACKNOWLEDGED'];
/** Roles that may acknowledge alerts (acknowledgeAlert) */
const ACKNOWLEDGERS = ['HQ_ADMIN', 'HQ_EDITOR', 'STORE_MANAGER', 'STORE_STAFF'] as const;

const FleetStore = graphql(`
  query FleetStore($id: ID!) {
    store(id: $id) {
      id
      name
      code
      timezone
      tags
      address {
        line1
        line2
        city
        postcode
        country
      }
      region {
        id
        name
      }
      displays {
        id
        name
        placement
        orientation
        tags
        resolution {
          width
          height
        }
        zone {
          id
          name
        }
        status
        lastSeenAt
        nowPlaying {
          creativeId
          playlistVersion
          appVersion
          reportedAt
          creative {
            id
            name
          }
        }
      }
    }
  }
`);

const FleetStoreAlerts = graphql(`
  query FleetStoreAlerts($storeId: ID!, $states: [AlertState!], $first: Int!, $after: String) {
    alerts(first: $first, after: $after, filter: { storeId: $storeId, states: $states }) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          displayId
          kind
          state
          message
          raisedAt
          acknowledgedAt
          acknowledgedBy
          resolvedAt
        }
      }
    }
  }
`);

const FleetStoreAlertFeed = graphql(`
  subscription FleetStoreAlertFeed($storeId: ID!) {
    displayAlerts(storeId: $storeId) {
      id
      displayId
      kind
      state
      message
      raisedAt
      acknowledgedAt
      acknowledgedBy
      resolvedAt
    }
  }
`);

const FleetAcknowledgeAlert = graphql(`
  mutation FleetAcknowledgeAlert($id: ID!) {
    acknowledgeAlert(id: $id) {
      id
      state
      acknowledgedAt
      acknowledgedBy
    }
  }
`);

const FleetDisplayPlaylist = graphql(`
  query FleetDisplayPlaylist($displayId: ID!) {
    displayPlaylist(displayId: $displayId) {
      displayId
      version
      validUntil
      resolvedAt
      items {
        campaignId
        overrideId
        creativeId
        mimeType
        durationMs
      }
    }
  }
`);

const FleetCampaignName = graphql(`
  query FleetCampaignName($id: ID!) {
    campaign(id: $id) {
      id
      name
      status
    }
  }
`);

const FleetCreativeName = graphql(`
  query FleetCreativeName($id: ID!) {
    creative(id: $id) {
      id
      name
      kind
    }
  }
`);

type StoreData = NonNullable<FleetStoreQuery['store']>;
type DisplayData = StoreData['displays'][number];

const ALERT_KIND_LABEL: Record<string, string> = {
  OFFLINE: 'Offline',
  NOT_PLAYING_EXPECTED: 'Not playing what it should',
  STALE_CONTENT: 'No plays reported',
};

export function StorePage() {
  const { storeId = '' } = useParams();
  const [result, reexecute] = useQuery({ query: FleetStore, variables: { id: storeId } });
  const store = result.data?.store;

  if (result.error && !result.data) {
    return (
      <Page title="Store" actions={<BackToFleet />}>
        <ErrorNotice error={result.error} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />
      </Page>
    );
  }
  if (!result.data) {
    return (
      <Page title="Store" actions={<BackToFleet />}>
        <Loading />
      </Page>
    );
  }
  if (!store) {
    return (
      <Page title="Store not found" actions={<BackToFleet />}>
        <Empty title="No store has this id, or you may not see it.">
          <Link to="..">Back to the fleet</Link>
        </Empty>
      </Page>
    );
  }
  return <StoreView store={store} />;
}

function BackToFleet() {
  return (
    <ButtonLink to="/fleet" variant="secondary">
      ← Fleet
    </ButtonLink>
  );
}

/** Roles that may pair a display player (auth's claimPairingCode) */
const PAIRERS = ['HQ_ADMIN', 'HQ_EDITOR', 'STORE_MANAGER', 'STORE_STAFF'] as const;

/** The player on a new screen shows a code: typed here with the display it is, the player gets its credential. */
function PairDisplay({ store }: { store: StoreData }) {
  const { hasRole } = useSession();
  const [open, setOpen] = useState(false);
  if (!hasRole(...PAIRERS) || !store.displays.length) return null;
  return (
    <>
      <Button onClick={() => setOpen(true)}>Pair a display</Button>
      <Dialog
        open={open}
        title="Pair a display"
        description="Open the player on the screen: it shows a code. Type it here and choose the display."
        onClose={() => setOpen(false)}
        actions={<Button onClick={() => setOpen(false)}>Close</Button>}
      >
        {open ? <PairDisplayForm displays={store.displays} /> : null}
      </Dialog>
    </>
  );
}

function StoreView({ store }: { store: StoreData }) {
  const names = useMemo(() => new Map(store.displays.map((d) => [d.id, d.name])), [store.displays]);
  const live = useLiveStatuses(
    useCallback(
      (c: StatusChange) => describeChange(names.get(c.displayId) ?? c.displayId, undefined, c.status, c.previous),
      [names],
    ),
  );
  const displays = store.displays.map((d) => withLive(d, live.overlay));
  const counts = countByStatus(displays);

  // Links from the fleet list point at a display: bring it into view once it is rendered.
  const { hash } = useLocation();
  useEffect(() => {
    if (!hash.startsWith('#display-')) return;
    const el = document.getElementById(hash.slice(1));
    if (el) {
      el.scrollIntoView({ block: 'start' });
      el.focus({ preventScroll: true });
    }
  }, [hash]);

  const address = store.address
    ? [store.address.line1, store.address.line2, store.address.city, store.address.postcode, store.address.country]
        .filter(Boolean)
        .join(', ')
    : null;

  return (
    <Page
      title={store.name}
      description={
        <>
          {store.code}
          {store.region ? ` · ${store.region.name}` : ''} · {store.timezone}
          {address ? ` · ${address}` : ''}
        </>
      }
      actions={
        <>
          <PairDisplay store={store} />
          <BackToFleet />
        </>
      }
    >
      <div className="fleet">
        <StatusFeed storeId={store.id} onChange={live.onChange} onState={live.onState} />
        <section className="section" aria-labelledby="store-summary-title">
          <div className="section-header">
            <h2 id="store-summary-title">Displays</h2>
            <LiveFeedNote state={live.feed} />
          </div>
          <ul className="fleet-counts fleet-counts--static" aria-label="Displays by status">
            {STATUSES.map((s) => (
              <li key={s} className="fleet-count" data-status={s}>
                <span className="fleet-count-value">{counts[s]}</span>
                <span className="fleet-count-label">
                  <DisplayStatusBadge status={s} />
                </span>
              </li>
            ))}
          </ul>
          <LiveLog log={live.log} />
        </section>

        {!displays.length ? (
          <Empty title="This store has no displays yet." />
        ) : (
          <div className="fleet-display-grid">
            {displays.map((d) => (
              <DisplayCard key={d.id} display={d} timezone={store.timezone} />
            ))}
          </div>
        )}

        <StoreAlerts storeId={store.id} names={names} />

        <div
          className="visually-hidden"
          role="status"
          aria-live="polite"
          aria-atomic="true"
          data-testid="store-announcer"
        >
          {live.announcement}
        </div>
      </div>
    </Page>
  );
}

function DisplayCard({ display: d, timezone }: { display: DisplayData; timezone: string }) {
  const [showPlaylist, setShowPlaylist] = useState(false);
  const [playlist] = useQuery({
    query: FleetDisplayPlaylist,
    variables: { displayId: d.id },
  });
  const expected = playlist.data?.displayPlaylist;
  const reported = d.nowPlaying?.playlistVersion ?? null;
  const upToDate = expected && reported ? expected.version === reported : null;
  const listId = `playlist-${d.id}`;

  return (
    <article
      className="fleet-display"
      id={`display-${d.id}`}
      tabIndex={-1}
      aria-labelledby={`display-${d.id}-name`}
      data-display-id={d.id}
      data-status={d.status}
    >
      <header className="fleet-display-head">
        <h3 id={`display-${d.id}-name`}>{d.name}</h3>
        <DisplayStatusBadge status={d.status} />
      </header>
      <dl className="fleet-facts">
        <dt>Last seen</dt>
        <dd>{d.lastSeenAt ? formatDateTime(d.lastSeenAt, timezone) : 'Never'}</dd>
        <dt>Now playing</dt>
        <dd>
          <NowPlayingText status={d.status} nowPlaying={d.nowPlaying} timeZone={timezone} />
        </dd>
        <dt>Playlist</dt>
        <dd>
          {upToDate === true ? <span className="fleet-ok">✓ up to date</span> : null}
          {upToDate === false ? <span className="fleet-warn">▲ differs from what it should play</span> : null}
          {upToDate === null ? <span className="muted">{reported ? 'checking…' : 'not reported'}</span> : null}
        </dd>
        <dt>Placement</dt>
        <dd>
          {[d.placement, d.zone?.name, d.orientation === 'PORTRAIT' ? 'portrait' : 'landscape']
            .filter(Boolean)
            .join(' · ')}
          {` · ${d.resolution.width}×${d.resolution.height}`}
        </dd>
      </dl>
      <details className="fleet-details">
        <summary>
          Technical details<span className="visually-hidden"> of {d.name}</span>
        </summary>
        <dl className="fleet-facts">
          <div className="fleet-fact">
            <dt>Display id</dt>
            <dd>
              <code>{d.id}</code>
            </dd>
          </div>
          <div className="fleet-fact">
            <dt>Reported playlist version</dt>
            <dd>{reported ? <code>{reported}</code> : 'not reported'}</dd>
          </div>
          <div className="fleet-fact">
            <dt>Resolved playlist version</dt>
            <dd>{expected ? <code>{expected.version}</code> : '—'}</dd>
          </div>
          <div className="fleet-fact">
            <dt>Player version</dt>
            <dd>{d.nowPlaying?.appVersion ?? 'not reported'}</dd>
          </div>
        </dl>
      </details>
      <Button
        variant="ghost"
        aria-expanded={showPlaylist}
        aria-controls={listId}
        onClick={() => setShowPlaylist((v) => !v)}
      >
        {showPlaylist ? 'Hide' : 'Show'} what it should play ({expected ? expected.items.length : '…'})
      </Button>
      <div id={listId} hidden={!showPlaylist}>
        {showPlaylist ? (
          playlist.error ? (
            <ErrorNotice error={playlist.error} />
          ) : !expected ? (
            <Loading />
          ) : !expected.items.length ? (
            <p className="muted">Nothing is scheduled for this display now.</p>
          ) : (
            <>
              <ol className="fleet-playlist">
                {expected.items.map((item, i) => (
                  <li key={`${item.creativeId}-${i}`}>
                    <CreativeName id={item.creativeId} /> · {formatDuration(item.durationMs)}
                    {item.campaignId ? (
                      <>
                        {' · '}
                        <CampaignLink id={item.campaignId} />
                      </>
                    ) : null}
                    {item.overrideId ? <span className="fleet-warn"> · emergency override</span> : null}
                  </li>
                ))}
              </ol>
              <p className="muted">
                Resolved {formatDateTime(expected.resolvedAt, timezone)}
                {expected.validUntil ? `; may change ${formatDateTime(expected.validUntil, timezone)}` : ''}.
              </p>
            </>
          )
        ) : null}
      </div>
      <DisplayRemote displayId={d.id} name={d.name} timezone={timezone} />
    </article>
  );
}

function CreativeName({ id }: { id: string }) {
  const [res] = useQuery({ query: FleetCreativeName, variables: { id } });
  const c = res.data?.creative;
  return c ? <span>{c.name}</span> : <span className="muted">{res.fetching ? '…' : 'a creative you cannot see'}</span>;
}

function CampaignLink({ id }: { id: string }) {
  const [res] = useQuery({ query: FleetCampaignName, variables: { id } });
  const c = res.data?.campaign;
  return (
    <>
      <Link to={`/campaigns/${id}`}>{c ? c.name : 'a campaign'}</Link> (
      <Link to={`/reports/campaigns/${id}`}>report</Link>)
    </>
  );
}

function StoreAlerts({ storeId, names }: { storeId: string; names: ReadonlyMap<string, string> }) {
  const { hasRole, viewer } = useSession();
  const toast = useToast();
  const [showAll, setShowAll] = useState(false);
  const paging = useCursorPager(ALERT_PAGE);
  const [result, reexecute] = useQuery({
    query: FleetStoreAlerts,
    variables: { storeId, states: showAll ? null : OPEN_STATES, first: ALERT_PAGE, after: paging.after },
    context: ALERT_CONTEXT,
  });
  const [, acknowledge] = useMutation(FleetAcknowledgeAlert);
  const [pending, setPending] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const canAck = hasRole(...ACKNOWLEDGERS);

  const [feed] = useSubscription({ query: FleetStoreAlertFeed, variables: { storeId } });
  const event = feed.data?.displayAlerts;
  useEffect(() => {
    if (!event) return;
    const display = names.get(event.displayId) ?? 'A display';
    const kind = ALERT_KIND_LABEL[event.kind] ?? statusLabel(event.kind);
    setAnnouncement(`Alert ${statusLabel(event.state).toLowerCase()}: ${display} — ${kind}`);
    reexecute({ requestPolicy: 'network-only' });
  }, [event, names, reexecute]);

  const conn = result.data?.alerts;
  const onAcknowledge = async (id: string) => {
    setPending(id);
    const r = await acknowledge({ id });
    setPending(null);
    if (r.error) toast.error('Could not acknowledge the alert', r.error, { topic: `alert:${id}` });
    else {
      toast.success('Alert acknowledged', { topic: `alert:${id}` });
      reexecute({ requestPolicy: 'network-only' });
    }
  };

  return (
    <section className="section" aria-labelledby="store-alerts-title">
      <div className="section-header">
        <h2 id="store-alerts-title">{showAll ? 'All alerts' : 'Open alerts'}</h2>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={showAll}
            onChange={(e) => {
              setShowAll(e.target.checked);
              paging.reset();
            }}
          />{' '}
          Include resolved alerts
        </label>
      </div>
      {feed.error ? <p className="muted">Live alert updates are unavailable; reload to retry.</p> : null}
      {result.error && !conn ? (
        <ErrorNotice error={result.error} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />
      ) : !conn ? (
        <Loading />
      ) : !conn.edges.length ? (
        <Empty title={showAll ? 'This store has had no alerts.' : 'No open alerts.'}>
          {showAll ? null : 'Every display is doing what it should, or someone resolved it.'}
        </Empty>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Alerts of this store</caption>
            <thead>
              <tr>
                <th scope="col">Display</th>
                <th scope="col">Problem</th>
                <th scope="col">State</th>
                <th scope="col">Raised</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {conn.edges.map(({ node: a }) => (
                <tr key={a.id} data-alert-id={a.id} data-state={a.state}>
                  <th scope="row">
                    <a href={`#display-${a.displayId}`}>{names.get(a.displayId) ?? a.displayId}</a>
                  </th>
                  <td>
                    <strong>{ALERT_KIND_LABEL[a.kind] ?? statusLabel(a.kind)}</strong>
                    <br />
                    <span className="muted">{a.message}</span>
                  </td>
                  <td>
                    <StatusBadge status={a.state} />
                    {a.acknowledgedAt ? (
                      <div className="muted">
                        by {a.acknowledgedBy === viewer?.userId ? 'you' : 'a colleague'},{' '}
                        {formatDateTime(a.acknowledgedAt)}
                      </div>
                    ) : null}
                    {a.resolvedAt ? <div className="muted">on {formatDateTime(a.resolvedAt)}</div> : null}
                  </td>
                  <td>{formatDateTime(a.raisedAt)}</td>
                  <td>
                    {a.state === 'RAISED' && canAck ? (
                      <Button
                        variant="primary"
                        busy={pending === a.id}
                        onClick={() => void onAcknowledge(a.id)}
                        aria-label={`Acknowledge: ${names.get(a.displayId) ?? 'display'} — ${ALERT_KIND_LABEL[a.kind] ?? a.kind}`}
                      >
                        Acknowledge
                      </Button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConnectionPager connection={conn} paging={paging} label="Alert pages" />
      <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
        {announcement}
      </div>
    </section>
  );
}
