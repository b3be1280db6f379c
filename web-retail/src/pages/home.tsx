import { Button, Empty, ErrorNotice, Loading, useSession } from '@phub/web-kit';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useClient, useMutation, useQuery, useSubscription } from 'urql';
import { graphql } from '../gql';
import { can } from '../lib/capabilities';
import { useStoreCampaigns } from './campaigns';
import { ago, ALERT_KIND_LABEL, STATUS_LABEL, STATUS_TONE, type DisplayStatus } from './status';
import { TakeoverPanel } from './takeover';

const RetailStoreHome = graphql(`
  query RetailStoreHome($id: ID!) {
    store(id: $id) {
      id
      name
      timezone
      displays {
        id
        name
        placement
        tags
        status
        lastSeenAt
        zone {
          id
          name
        }
      }
    }
  }
`);

const RetailStatusChanges = graphql(`
  subscription RetailStatusChanges($storeId: ID!) {
    displayStatusChanges(storeId: $storeId) {
      displayId
      status
      at
    }
  }
`);

const RetailAlerts = graphql(`
  query RetailAlerts($storeId: ID!) {
    alerts(first: 50, filter: { storeId: $storeId, states: [RAISED, ACKNOWLEDGED] }) {
      totalCount
      edges {
        node {
          id
          displayId
          kind
          state
          message
          raisedAt
          acknowledgedAt
        }
      }
    }
  }
`);

const RetailAlertFeed = graphql(`
  subscription RetailAlertFeed($storeId: ID!) {
    displayAlerts(storeId: $storeId) {
      id
      state
    }
  }
`);

const RetailAcknowledge = graphql(`
  mutation RetailAcknowledge($id: ID!) {
    acknowledgeAlert(id: $id) {
      id
      state
      acknowledgedAt
    }
  }
`);

const RetailDisplayPlaylist = graphql(`
  query RetailDisplayPlaylist($displayId: ID!) {
    displayPlaylist(displayId: $displayId) {
      displayId
      version
      items {
        campaignId
        overrideId
        takeoverId
        creativeId
      }
    }
  }
`);

const RetailPlaylistChanged = graphql(`
  subscription RetailPlaylistChanged($displayId: ID!) {
    playlistChanged(displayId: $displayId) {
      displayId
      version
    }
  }
`);

export function HomePage({ storeId, storeName }: { storeId: string; storeName?: string }) {
  const { viewer } = useSession();
  const [result, reexecute] = useQuery({ query: RetailStoreHome, variables: { id: storeId } });
  const [live, setLive] = useState<Record<string, { status: DisplayStatus; at: string }>>({});
  const [announcement, setAnnouncement] = useState('');
  const displays = useMemo(() => result.data?.store?.displays ?? [], [result.data]);

  useEffect(() => {
    document.title = `${storeName ?? 'Store'} — Personalisation Hub Store`;
  }, [storeName]);

  useSubscription({ query: RetailStatusChanges, variables: { storeId } }, (_prev, event) => {
    const c = event.displayStatusChanges;
    setLive((l) => ({ ...l, [c.displayId]: { status: c.status, at: c.at } }));
    const name = displays.find((d) => d.id === c.displayId)?.name ?? 'A display';
    setAnnouncement(`${name}: ${STATUS_LABEL[c.status]}`);
    return event;
  });

  return (
    <>
      <h1 id="page-title">{storeName ?? 'Store'}</h1>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      <TakeoverPanel storeId={storeId} />
      <AlertsPanel storeId={storeId} names={Object.fromEntries(displays.map((d) => [d.id, d.name]))} />
      <section aria-labelledby="displays-title" className="section">
        <h2 id="displays-title">Displays</h2>
        {result.error && !result.data ? (
          <ErrorNotice error={result.error} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />
        ) : !result.data ? (
          <Loading />
        ) : displays.length === 0 ? (
          <Empty title="This store has no displays yet" />
        ) : (
          <ul className="cards">
            {displays.map((d) => {
              const status = live[d.id]?.status ?? d.status;
              return (
                <li key={d.id} className="card" data-display-id={d.id}>
                  <div className="card-head">
                    <h3>{d.name}</h3>
                    <span className={`badge badge--${STATUS_TONE[status]}`}>{STATUS_LABEL[status]}</span>
                  </div>
                  <p className="muted small">
                    {[d.zone?.name, d.placement].filter(Boolean).join(' · ') || 'No placement set'} · seen{' '}
                    {ago(live[d.id]?.at ?? d.lastSeenAt)}
                  </p>
                  <NowPlaying displayId={d.id} />
                </li>
              );
            })}
          </ul>
        )}
      </section>
      {viewer && !can(viewer, 'acknowledgeAlerts', storeId) ? (
        <p className="muted small">Your role can see this store but not act on its alerts.</p>
      ) : null}
    </>
  );
}

/** The campaigns (and overrides) in a display's current playlist, kept fresh by playlistChanged. */
function NowPlaying({ displayId }: { displayId: string }) {
  const [result, reexecute] = useQuery({ query: RetailDisplayPlaylist, variables: { displayId } });
  const { byId } = useStoreCampaigns();
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  useSubscription({ query: RetailPlaylistChanged, variables: { displayId } }, (_prev, event) => {
    refresh();
    return event;
  });
  if (result.error && !result.data) return <ErrorNotice error={result.error} onRetry={refresh} />;
  const items = result.data?.displayPlaylist.items;
  if (!items) return <p className="muted small">Loading what it plays…</p>;
  if (items.length === 0) return <p className="now-playing">Plays nothing now (no campaign reaches it)</p>;
  const overrides = items.filter((i) => i.overrideId).length;
  const takeover = items.some((i) => i.takeoverId);
  const campaigns = [...new Set(items.map((i) => i.campaignId).filter((id): id is string => !!id))];
  return (
    <div className="now-playing">
      <span className="muted small">Now plays</span>
      <ul className="chips" aria-label="Now plays">
        {takeover ? <li className="chip chip--takeover">Emergency takeover</li> : null}
        {overrides ? <li className="chip chip--override">Override</li> : null}
        {campaigns.map((id) => (
          <li key={id} className="chip">
            {byId.get(id)?.name ?? 'A campaign'}
          </li>
        ))}
      </ul>
    </div>
  );
}

function AlertsPanel({ storeId, names }: { storeId: string; names: Record<string, string> }) {
  const { viewer } = useSession();
  const client = useClient();
  const [result, reexecute] = useQuery({
    query: RetailAlerts,
    variables: { storeId },
    context: useMemo(() => ({ additionalTypenames: ['Alert'] }), []),
  });
  const [ack, acknowledge] = useMutation(RetailAcknowledge);
  useSubscription({ query: RetailAlertFeed, variables: { storeId } }, (_prev, event) => {
    // Raised, acknowledged or resolved: the list reloads (it is short) so it matches the platform.
    void client.query(RetailAlerts, { storeId }, { requestPolicy: 'network-only' }).toPromise();
    return event;
  });
  const alerts = result.data?.alerts.edges.map((e) => e.node) ?? [];
  const mayAck = can(viewer, 'acknowledgeAlerts', storeId);
  return (
    <section aria-labelledby="alerts-title" className="section">
      <h2 id="alerts-title">
        Alerts {result.data ? <span className="count">{result.data.alerts.totalCount}</span> : null}
      </h2>
      {result.error && !result.data ? (
        <ErrorNotice error={result.error} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />
      ) : !result.data ? (
        <Loading />
      ) : alerts.length === 0 ? (
        <p className="muted">No open alerts: every display is fine.</p>
      ) : (
        <ul className="alerts">
          {alerts.map((a) => (
            <li key={a.id} className={`alert alert--${a.state.toLowerCase()}`}>
              <div>
                <strong>{names[a.displayId] ?? 'A display'}</strong>: {ALERT_KIND_LABEL[a.kind] ?? a.kind}
                <p className="small muted">
                  {a.message} · raised {ago(a.raisedAt)}
                  {a.state === 'ACKNOWLEDGED' ? ` · acknowledged ${ago(a.acknowledgedAt)}` : ''}
                </p>
              </div>
              {mayAck && a.state === 'RAISED' ? (
                <Button
                  variant="secondary"
                  busy={ack.fetching && ack.operation?.variables.id === a.id}
                  onClick={() => void acknowledge({ id: a.id })}
                >
                  Acknowledge
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <ErrorNotice error={ack.error} />
    </section>
  );
}
