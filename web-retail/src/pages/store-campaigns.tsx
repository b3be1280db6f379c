import { Button, ErrorNotice, Field, Loading } from '@phub/web-kit';
import { useMemo, useState, type FormEvent } from 'react';
import { useClient, useMutation, useQuery } from 'urql';
import { graphql } from '../gql';
import {
  ACTIONS,
  actionsFor,
  CAMPAIGN_STATUS_LABEL,
  draftProblems,
  editable,
  type CampaignDraft,
  type CampaignStatusName,
  type ManagerAction,
} from '../lib/store-campaigns';

const RetailOwnCampaigns = graphql(`
  query RetailOwnCampaigns($storeId: ID!) {
    campaigns(first: 100, filter: { storeId: $storeId }) {
      edges {
        node {
          id
          name
          description
          status
          reviewNote
          creativeIds
          problems
          schedule {
            startDate
            endDate
          }
          landing {
            headline
            body
            ctaLabel
            ctaUrl
          }
        }
      }
    }
  }
`);

const RetailReadyCreatives = graphql(`
  query RetailReadyCreatives {
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

const RetailCreateCampaign = graphql(`
  mutation RetailCreateCampaign($input: CreateCampaignInput!) {
    createCampaign(input: $input) {
      id
      status
    }
  }
`);

const RetailUpdateCampaign = graphql(`
  mutation RetailUpdateCampaign($input: UpdateCampaignInput!) {
    updateCampaign(input: $input) {
      id
      status
    }
  }
`);

const RetailSetLanding = graphql(`
  mutation RetailSetLanding($input: SetCampaignLandingInput!) {
    setCampaignLanding(input: $input) {
      campaignId
      headline
    }
  }
`);

const RetailClearLanding = graphql(`
  mutation RetailClearLanding($campaignId: ID!) {
    clearCampaignLanding(campaignId: $campaignId)
  }
`);

// One document per workflow action keeps them typed; the buttons pick by ACTIONS[action].mutation.
const WORKFLOW_DOCUMENTS = {
  submit: graphql(`
    mutation RetailSubmitCampaign($id: ID!) {
      submitCampaign(id: $id) {
        id
        status
      }
    }
  `),
  publish: graphql(`
    mutation RetailPublishCampaign($id: ID!) {
      publishCampaign(id: $id) {
        id
        status
      }
    }
  `),
  pause: graphql(`
    mutation RetailPauseCampaign($id: ID!) {
      pauseCampaign(id: $id) {
        id
        status
      }
    }
  `),
  resume: graphql(`
    mutation RetailResumeCampaign($id: ID!) {
      resumeCampaign(id: $id) {
        id
        status
      }
    }
  `),
  end: graphql(`
    mutation RetailEndCampaign($id: ID!) {
      endCampaign(id: $id) {
        id
        status
      }
    }
  `),
  archive: graphql(`
    mutation RetailArchiveCampaign($id: ID!) {
      archiveCampaign(id: $id) {
        id
        status
      }
    }
  `),
} as const;

type OwnCampaign = {
  id: string;
  name: string;
  description?: string | null;
  status: string;
  reviewNote?: string | null;
  creativeIds: string[];
  problems: string[];
  schedule: { startDate?: string | null; endDate?: string | null };
  landing?: { headline: string; body?: string | null; ctaLabel?: string | null; ctaUrl?: string | null } | null;
};

const EMPTY: CampaignDraft = {
  name: '',
  description: '',
  creativeIds: [],
  startDate: '',
  endDate: '',
  headline: '',
  body: '',
  ctaLabel: '',
  ctaUrl: '',
};

const draftOf = (c: OwnCampaign): CampaignDraft => ({
  name: c.name,
  description: c.description ?? '',
  creativeIds: c.creativeIds,
  startDate: c.schedule.startDate ?? '',
  endDate: c.schedule.endDate ?? '',
  headline: c.landing?.headline ?? '',
  body: c.landing?.body ?? '',
  ctaLabel: c.landing?.ctaLabel ?? '',
  ctaUrl: c.landing?.ctaUrl ?? '',
});

/**
 * The store's own campaigns for its manager: create and edit drafts (with an optional offer page), submit them
 * to HQ's review, and run them once approved — the workflow HQ's campaigns follow.
 */
export function StoreCampaigns({ storeId }: { storeId: string }) {
  const context = useMemo(() => ({ additionalTypenames: ['Campaign', 'CampaignLanding'] }), []);
  const [result, reexecute] = useQuery({ query: RetailOwnCampaigns, variables: { storeId }, context });
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const campaigns = (result.data?.campaigns.edges.map((e) => e.node) ?? []) as OwnCampaign[];
  const refresh = () => reexecute({ requestPolicy: 'network-only' });
  return (
    <section aria-labelledby="own-campaigns-title" className="section">
      <div className="section-head">
        <h2 id="own-campaigns-title">This store’s own campaigns</h2>
        {editing !== 'new' ? (
          <Button variant="primary" onClick={() => setEditing('new')}>
            New store campaign
          </Button>
        ) : null}
      </div>
      <p className="muted small">
        They play on this store’s displays only. HQ reviews each one before it goes live, as for HQ’s own campaigns.
      </p>
      {editing === 'new' ? (
        <CampaignForm
          storeId={storeId}
          initial={EMPTY}
          onDone={() => {
            setEditing(null);
            refresh();
          }}
        />
      ) : null}
      {result.error && !result.data ? (
        <ErrorNotice error={result.error} onRetry={refresh} />
      ) : !result.data ? (
        <Loading />
      ) : campaigns.length === 0 ? (
        <p className="muted">No store campaign yet.</p>
      ) : (
        <ul className="rows">
          {campaigns.map((c) =>
            editing === c.id ? (
              <li key={c.id} className="row own-campaign" data-own-campaign-id={c.id}>
                <CampaignForm
                  storeId={storeId}
                  campaign={c}
                  initial={draftOf(c)}
                  onDone={() => {
                    setEditing(null);
                    refresh();
                  }}
                />
              </li>
            ) : (
              <OwnCampaignRow key={c.id} campaign={c} onEdit={() => setEditing(c.id)} onChanged={refresh} />
            ),
          )}
        </ul>
      )}
    </section>
  );
}

function OwnCampaignRow({
  campaign: c,
  onEdit,
  onChanged,
}: {
  campaign: OwnCampaign;
  onEdit(): void;
  onChanged(): void;
}) {
  const client = useClient();
  const [busy, setBusy] = useState<ManagerAction | null>(null);
  const [error, setError] = useState<Parameters<typeof ErrorNotice>[0]['error']>(null);
  const status = c.status as CampaignStatusName;
  const run = async (action: ManagerAction) => {
    setBusy(action);
    setError(null);
    const res = await client.mutation(WORKFLOW_DOCUMENTS[action], { id: c.id }).toPromise();
    setBusy(null);
    if (res.error) setError(res.error);
    else onChanged();
  };
  return (
    <li className="row own-campaign" data-own-campaign-id={c.id}>
      <div>
        <strong>{c.name}</strong>{' '}
        <span className={`badge badge--${status === 'LIVE' ? 'success' : status === 'DRAFT' ? 'muted' : 'warning'}`}>
          {CAMPAIGN_STATUS_LABEL[status] ?? status}
        </span>
        <p className="small muted">
          {[c.schedule.startDate && `from ${c.schedule.startDate}`, c.schedule.endDate && `until ${c.schedule.endDate}`]
            .filter(Boolean)
            .join(' ') || 'No end date'}
          {c.landing ? ' · has an offer page' : ''}
        </p>
        {status === 'DRAFT' && c.reviewNote ? (
          <p className="small notice notice--warning">HQ sent it back: {c.reviewNote}</p>
        ) : null}
        {c.problems.length && status !== 'ENDED' && status !== 'ARCHIVED' ? (
          <p className="small muted">{c.problems.join(' · ')}</p>
        ) : null}
      </div>
      <div className="button-row">
        {editable(status) ? <Button onClick={onEdit}>Edit</Button> : null}
        {actionsFor(status).map((a) => (
          <Button
            key={a}
            variant={a === 'submit' || a === 'publish' ? 'primary' : 'secondary'}
            busy={busy === a}
            onClick={() => {
              if ((a === 'end' || a === 'archive') && !window.confirm(`${ACTIONS[a].label} “${c.name}”?`)) return;
              void run(a);
            }}
          >
            {ACTIONS[a].label}
          </Button>
        ))}
      </div>
      <ErrorNotice error={error} />
    </li>
  );
}

function CampaignForm({
  storeId,
  campaign,
  initial,
  onDone,
}: {
  storeId: string;
  campaign?: OwnCampaign;
  initial: CampaignDraft;
  onDone(): void;
}) {
  const [creatives] = useQuery({ query: RetailReadyCreatives });
  const [created, create] = useMutation(RetailCreateCampaign);
  const [updated, update] = useMutation(RetailUpdateCampaign);
  const [landingSet, setLanding] = useMutation(RetailSetLanding);
  const [landingCleared, clearLanding] = useMutation(RetailClearLanding);
  const [d, setD] = useState<CampaignDraft>(initial);
  const [tried, setTried] = useState(false);
  const problems = draftProblems(d);
  const show = (f: keyof CampaignDraft) => (tried ? problems[f] : undefined);
  const change = (patch: Partial<CampaignDraft>) => setD((x) => ({ ...x, ...patch }));
  const busy = created.fetching || updated.fetching || landingSet.fetching || landingCleared.fetching;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (Object.keys(problems).length) return;
    const schedule = { startDate: d.startDate || null, endDate: d.endDate || null };
    let id = campaign?.id;
    if (id) {
      const res = await update({
        input: {
          id,
          name: d.name.trim(),
          description: d.description.trim() || null,
          creativeIds: d.creativeIds,
          schedule,
        },
      });
      if (!res.data) return;
    } else {
      const res = await create({
        input: {
          storeId,
          name: d.name.trim(),
          description: d.description.trim() || null,
          creativeIds: d.creativeIds,
          schedule,
        },
      });
      if (!res.data) return;
      id = res.data.createCampaign.id;
    }
    if (d.headline.trim()) {
      const res = await setLanding({
        input: {
          campaignId: id,
          headline: d.headline.trim(),
          body: d.body.trim() || null,
          ctaLabel: d.ctaLabel.trim() || null,
          ctaUrl: d.ctaUrl.trim() || null,
        },
      });
      if (!res.data) return;
    } else if (campaign?.landing) {
      const res = await clearLanding({ campaignId: id });
      if (res.error) return;
    }
    onDone();
  };

  const list = creatives.data?.creatives.edges.map((e) => e.node) ?? [];
  return (
    <form
      className="stack campaign-form"
      noValidate
      onSubmit={(e) => void submit(e)}
      aria-label={campaign ? `Edit ${campaign.name}` : 'New store campaign'}
    >
      <Field label="Name" required error={show('name')}>
        <input value={d.name} onChange={(e) => change({ name: e.target.value })} maxLength={200} />
      </Field>
      <Field label="Description">
        <input value={d.description} onChange={(e) => change({ description: e.target.value })} maxLength={500} />
      </Field>
      <fieldset className="field">
        <legend className="fieldset-legend">Creatives to play, in order</legend>
        {creatives.error ? <ErrorNotice error={creatives.error} /> : null}
        {list.map((c) => (
          <label key={c.id} className="choice">
            <input
              type="checkbox"
              checked={d.creativeIds.includes(c.id)}
              onChange={(e) =>
                change({
                  creativeIds: e.target.checked ? [...d.creativeIds, c.id] : d.creativeIds.filter((x) => x !== c.id),
                })
              }
            />
            {c.name}
          </label>
        ))}
        {show('creativeIds') ? <p className="field-error">{show('creativeIds')}</p> : null}
      </fieldset>
      <div className="inline-form inline-form--tight">
        <Field label="First day" hint="Empty: as soon as approved">
          <input type="date" value={d.startDate} onChange={(e) => change({ startDate: e.target.value })} />
        </Field>
        <Field label="Last day" hint="Empty: until ended" error={show('endDate')}>
          <input type="date" value={d.endDate} onChange={(e) => change({ endDate: e.target.value })} />
        </Field>
      </div>
      <fieldset className="field">
        <legend className="fieldset-legend">Offer page (optional): what the campaign’s QR code opens</legend>
        <Field label="Offer headline" error={show('headline')}>
          <input value={d.headline} onChange={(e) => change({ headline: e.target.value })} maxLength={120} />
        </Field>
        <Field label="Offer details">
          <textarea value={d.body} onChange={(e) => change({ body: e.target.value })} maxLength={2000} rows={3} />
        </Field>
        <div className="inline-form inline-form--tight">
          <Field label="Button words">
            <input value={d.ctaLabel} onChange={(e) => change({ ctaLabel: e.target.value })} maxLength={40} />
          </Field>
          <Field label="Button link" hint="https://…" error={show('ctaUrl')}>
            <input type="url" value={d.ctaUrl} onChange={(e) => change({ ctaUrl: e.target.value })} maxLength={500} />
          </Field>
        </div>
      </fieldset>
      <ErrorNotice error={created.error ?? updated.error ?? landingSet.error ?? landingCleared.error} />
      <div className="button-row">
        <Button type="submit" variant="primary" busy={busy}>
          {campaign ? 'Save changes' : 'Create draft'}
        </Button>
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
