import { Button, Empty, ErrorNotice, Field, Loading, useSession } from '@phub/web-kit';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql';
import { can } from '../lib/capabilities';
import { campaignsForStore, useStoreCampaigns } from './campaigns';
import { OfferQr } from './offer-qr';
import { StoreCampaigns } from './store-campaigns';
import { timeOfDay } from './status';

const RetailStoreDisplays = graphql(`
  query RetailStoreDisplays($id: ID!) {
    store(id: $id) {
      id
      displays {
        id
        name
      }
    }
  }
`);

const RetailPauseForStore = graphql(`
  mutation RetailPauseForStore($campaignId: ID!, $storeId: ID!, $reason: String) {
    pauseCampaignForStore(campaignId: $campaignId, storeId: $storeId, reason: $reason) {
      id
      pausedStoreIds
    }
  }
`);

const RetailResumeForStore = graphql(`
  mutation RetailResumeForStore($campaignId: ID!, $storeId: ID!) {
    resumeCampaignForStore(campaignId: $campaignId, storeId: $storeId) {
      id
      pausedStoreIds
    }
  }
`);

const RetailOverrides = graphql(`
  query RetailOverrides($storeId: ID!) {
    displayOverrides(storeId: $storeId) {
      id
      displayId
      creativeId
      until
      reason
      active
      creative {
        id
        name
      }
    }
  }
`);

const RetailCreatives = graphql(`
  query RetailCreatives {
    creatives(first: 100, filter: { status: READY }) {
      edges {
        node {
          id
          name
          kind
        }
      }
    }
  }
`);

const RetailSetOverride = graphql(`
  mutation RetailSetOverride($input: SetDisplayOverrideInput!) {
    setDisplayOverride(input: $input) {
      id
      displayId
      until
      active
    }
  }
`);

const RetailClearOverride = graphql(`
  mutation RetailClearOverride($id: ID!) {
    clearDisplayOverride(id: $id) {
      id
      active
      clearedAt
    }
  }
`);

const OVERRIDE_CONTEXT = { additionalTypenames: ['DisplayOverride'] };
const DURATIONS = [15, 30, 60, 120, 240, 480];

export function PlaybackPage({ storeId }: { storeId: string }) {
  const { viewer } = useSession();
  useEffect(() => {
    document.title = 'Playback — Personalisation Hub Store';
  }, []);
  const [store] = useQuery({ query: RetailStoreDisplays, variables: { id: storeId } });
  const displays = useMemo(() => store.data?.store?.displays ?? [], [store.data]);
  return (
    <>
      <h1 id="page-title">Playback</h1>
      {can(viewer, 'runStoreCampaigns', storeId) ? <StoreCampaigns storeId={storeId} /> : null}
      <CampaignsHere
        storeId={storeId}
        displayIds={displays.map((d) => d.id)}
        mayPause={can(viewer, 'pauseForStore', storeId)}
      />
      <Overrides storeId={storeId} displays={displays} mayOverride={can(viewer, 'overrideDisplay', storeId)} />
    </>
  );
}

function CampaignsHere({
  storeId,
  displayIds,
  mayPause,
}: {
  storeId: string;
  displayIds: string[];
  mayPause: boolean;
}) {
  const { result, reexecute, byId, list } = useStoreCampaigns();
  const [pausing, pause] = useMutation(RetailPauseForStore);
  const [resuming, resume] = useMutation(RetailResumeForStore);
  const here = campaignsForStore(list, storeId, displayIds);
  const busyId =
    (pausing.fetching ? pausing.operation?.variables.campaignId : undefined) ??
    (resuming.fetching ? resuming.operation?.variables.campaignId : undefined);
  return (
    <section aria-labelledby="campaigns-title" className="section">
      <h2 id="campaigns-title">Campaigns in this store</h2>
      {result.error && !result.data ? (
        <ErrorNotice error={result.error} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />
      ) : !result.data ? (
        <Loading />
      ) : here.length === 0 ? (
        <Empty title="No campaign reaches this store now" />
      ) : (
        <ul className="rows">
          {here.map((h) => {
            const c = byId.get(h.id)!;
            const state = h.paused
              ? 'Paused in this store'
              : c.status === 'LIVE'
                ? 'Playing'
                : c.status === 'PAUSED'
                  ? 'Paused by HQ'
                  : 'Approved, not live yet';
            return (
              <li key={h.id} className="row" data-campaign-id={h.id}>
                <div>
                  <strong>{c.name}</strong>
                  <p className="small muted">
                    {h.local ? 'This store’s own campaign · ' : ''}
                    {state}
                  </p>
                </div>
                {mayPause && !h.local ? (
                  h.paused ? (
                    <Button
                      variant="primary"
                      busy={busyId === h.id}
                      onClick={() => void resume({ campaignId: h.id, storeId })}
                    >
                      Resume here
                    </Button>
                  ) : (
                    <Button
                      variant="secondary"
                      busy={busyId === h.id}
                      onClick={() => void pause({ campaignId: h.id, storeId, reason: 'Paused from the store app' })}
                    >
                      Pause here
                    </Button>
                  )
                ) : null}
                {c.landing ? <OfferQr campaignId={h.id} headline={c.landing.headline} /> : null}
              </li>
            );
          })}
        </ul>
      )}
      <ErrorNotice error={pausing.error ?? resuming.error} />
      {!mayPause ? <p className="small muted">A store manager can pause a campaign for this store.</p> : null}
    </section>
  );
}

function Overrides({
  storeId,
  displays,
  mayOverride,
}: {
  storeId: string;
  displays: readonly { id: string; name: string }[];
  mayOverride: boolean;
}) {
  const [result, reexecute] = useQuery({ query: RetailOverrides, variables: { storeId }, context: OVERRIDE_CONTEXT });
  const [clearing, clear] = useMutation(RetailClearOverride);
  const names = new Map(displays.map((d) => [d.id, d.name]));
  const active = (result.data?.displayOverrides ?? []).filter((o) => o.active);
  return (
    <section aria-labelledby="overrides-title" className="section">
      <h2 id="overrides-title">Display overrides</h2>
      <p className="small muted">
        An override plays one creative on a display instead of its campaigns, until it ends.
      </p>
      {result.error && !result.data ? (
        <ErrorNotice error={result.error} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />
      ) : !result.data ? (
        <Loading />
      ) : active.length === 0 ? (
        <p className="muted">No override now.</p>
      ) : (
        <ul className="rows">
          {active.map((o) => (
            <li key={o.id} className="row">
              <div>
                <strong>{names.get(o.displayId) ?? 'A display'}</strong>: {o.creative?.name ?? 'a creative'}
                <p className="small muted">
                  until {timeOfDay(o.until)}
                  {o.reason ? ` · ${o.reason}` : ''}
                </p>
              </div>
              {mayOverride ? (
                <Button
                  variant="secondary"
                  busy={clearing.fetching && clearing.operation?.variables.id === o.id}
                  onClick={() => void clear({ id: o.id }, OVERRIDE_CONTEXT)}
                >
                  End override
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <ErrorNotice error={clearing.error} />
      {mayOverride && displays.length ? <OverrideForm displays={displays} /> : null}
    </section>
  );
}

function OverrideForm({ displays }: { displays: readonly { id: string; name: string }[] }) {
  const [creatives] = useQuery({ query: RetailCreatives });
  const [state, setOverride] = useMutation(RetailSetOverride);
  const [displayId, setDisplayId] = useState(displays[0]!.id);
  const [creativeId, setCreativeId] = useState('');
  const [minutes, setMinutes] = useState(60);
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const list = creatives.data?.creatives.edges.map((e) => e.node) ?? [];
  const chosen = creativeId || list[0]?.id || '';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    const until = new Date(Date.now() + minutes * 60_000).toISOString();
    const res = await setOverride(
      { input: { displayId, creativeId: chosen, until, reason: reason.trim() || null } },
      OVERRIDE_CONTEXT,
    );
    if (res.data) setDone(`Override set, until ${timeOfDay(until)}.`);
  };

  return (
    <form className="stack" onSubmit={(e) => void submit(e)}>
      <h3>New override</h3>
      <Field label="Display">
        <select value={displayId} onChange={(e) => setDisplayId(e.target.value)}>
          {displays.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Creative">
        <select value={chosen} onChange={(e) => setCreativeId(e.target.value)} disabled={!list.length}>
          {list.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label="For">
        <select value={minutes} onChange={(e) => setMinutes(Number(e.target.value))}>
          {DURATIONS.map((m) => (
            <option key={m} value={m}>
              {m < 60 ? `${m} minutes` : `${m / 60} hour${m > 60 ? 's' : ''}`}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Reason" hint="Shown to HQ in the override's history">
        <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} />
      </Field>
      <ErrorNotice error={creatives.error ?? state.error} />
      {done ? (
        <p className="notice notice--success" role="status">
          {done}
        </p>
      ) : null}
      <Button type="submit" variant="primary" busy={state.fetching} disabled={!chosen}>
        Play it now
      </Button>
    </form>
  );
}
