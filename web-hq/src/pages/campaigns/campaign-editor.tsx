import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useMutation, useQuery, type CombinedError } from 'urql';
import { graphql } from '../../gql';
import type { CampaignEditorQuery } from '../../gql/graphql';
import { fieldErrors, useSession, type Viewer } from '@phub/web-kit';
import {
  Button,
  ButtonLink,
  ErrorNotice,
  Field,
  Loading,
  Notice,
  Page,
  Section,
  StatusBadge,
  formatDateTime,
  useToast,
} from '../../ui';
import { CampaignActions } from './campaign-actions';
import { StorePauses } from './store-pauses';
import {
  campaignInput,
  formErrorsFromFields,
  formFromCampaign,
  newForm,
  validateForm,
  type CampaignForm,
  type FormErrors,
} from './campaign-form';
import { CampaignHistory } from './campaign-history';
import { CreativesEditor, type CreativeInfo } from './creatives-editor';
import { ScheduleEditor } from './schedule-editor';
import { TargetingEditor } from './targeting-editor';
import { campaignWhere } from './targeting';
import { availableActions, canCreateCampaign, canEditContent, type CampaignStatus } from './transitions';
import { autoApproves, describeChanges, describeReach, REVISED, saveOutcome } from './revision';
import { RevisionActions, RevisionChanges } from './revision-panel';
import { useLineNamer } from './queue-lines';

const timeZoneOf = (c: { store?: { timezone: string } | null }) => c.store?.timezone;

export const CampaignEditorDoc = graphql(`
  query CampaignEditor($id: ID!) {
    campaign(id: $id) {
      id
      name
      description
      status
      priority
      weight
      storeId
      reviewNote
      ownerId
      createdAt
      updatedAt
      matchingDisplayCount
      reach {
        asIfLive
        matchingCount
        playingCount
        outrankedCount
      }
      pendingRevision {
        id
        priority
        weight
        changes
        createdAt
        updatedAt
        editor {
          id
          displayName
        }
        schedule {
          startDate
          endDate
          startsAt
          endsAt
          dayparts {
            days
            from
            to
          }
          maxPlaysPerHour
        }
        targeting {
          layoutRegion
          queue {
            lineId
            minWaiting
            minWaitMinutes
          }
          include {
            kind
            value
          }
          exclude {
            kind
            value
          }
        }
        creativeIds
        creatives {
          ...CreativeFields
        }
      }
      problems
      pausedStoreIds
      store {
        id
        name
        timezone
      }
      schedule {
        startDate
        endDate
        startsAt
        endsAt
        dayparts {
          days
          from
          to
        }
        maxPlaysPerHour
      }
      targeting {
        layoutRegion
        queue {
          lineId
          minWaiting
          minWaitMinutes
        }
        include {
          kind
          value
        }
        exclude {
          kind
          value
        }
      }
      creativeIds
      creatives {
        ...CreativeFields
      }
      history {
        id
        action
        fromStatus
        toStatus
        actorId
        actor {
          id
          displayName
        }
        reason
        storeId
        occurredAt
      }
    }
  }
`);

const MyStoresQuery = graphql(`
  query MyStores {
    stores(first: 100) {
      edges {
        node {
          id
          name
          timezone
        }
      }
    }
  }
`);

const ReviewSettingsQuery = graphql(`
  query ReviewSettings {
    campaignSettings {
      autoApprove
      autoApproveStoreLocal
    }
  }
`);

const CreateCampaign = graphql(`
  mutation CreateCampaign($input: CreateCampaignInput!) {
    createCampaign(input: $input) {
      id
      status
      updatedAt
    }
  }
`);

const UpdateCampaign = graphql(`
  mutation UpdateCampaign($input: UpdateCampaignInput!) {
    updateCampaign(input: $input) {
      id
      status
      updatedAt
      pendingRevision {
        id
        changes
      }
    }
  }
`);

const sameForm = (a: CampaignForm, b: CampaignForm) =>
  JSON.stringify({ ...campaignInput(a), storeId: a.storeId, allDay: a.allDay }) ===
  JSON.stringify({ ...campaignInput(b), storeId: b.storeId, allDay: b.allDay });

/** Maps the graph's BAD_USER_INPUT field paths onto the form. */
const serverFieldErrors = (error: CombinedError | null): FormErrors =>
  formErrorsFromFields(fieldErrors(error ?? undefined));

export function CampaignEditorPage() {
  const { id } = useParams();
  const isNew = !id;
  const { viewer } = useSession();
  const [result, refetch] = useQuery({
    query: CampaignEditorDoc,
    variables: { id: id ?? '' },
    pause: isNew,
  });
  const campaign = result.data?.campaign;

  if (!viewer) return null;
  if (isNew && !canCreateCampaign(viewer)) {
    const error = Object.assign(new Error('Your role cannot create campaigns.'), { code: 'FORBIDDEN' });
    return (
      <Page title="New campaign">
        <ErrorNotice error={error} />
      </Page>
    );
  }
  if (!isNew && !campaign) {
    return (
      <Page title="Campaign">
        {result.fetching ? <Loading label="Loading the campaign…" /> : null}
        <ErrorNotice error={result.error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />
        {!result.fetching && !result.error ? (
          <ErrorNotice error={Object.assign(new Error(`No campaign ${id}`), { code: 'NOT_FOUND' })} />
        ) : null}
      </Page>
    );
  }
  return <Editor key={campaign?.id ?? 'new'} viewer={viewer} campaign={campaign ?? null} loadError={result.error} />;
}

function Editor({
  viewer,
  campaign,
  loadError,
}: {
  viewer: Viewer;
  campaign: NonNullable<CampaignEditorQuery['campaign']> | null;
  loadError?: CombinedError;
}) {
  const navigate = useNavigate();
  const toast = useToast();
  const isStoreRole = !viewer.roles.some((r) => r === 'HQ_ADMIN' || r === 'HQ_EDITOR');
  const revision = campaign?.pendingRevision ?? null;
  // While a revision waits, the editor holds it (the working copy); the campaign row is what plays.
  const baseline = useMemo(
    () =>
      campaign
        ? formFromCampaign(revision ? { ...campaign, ...revision } : campaign)
        : newForm(isStoreRole && viewer.storeIds.length === 1 ? viewer.storeIds[0] : ''),
    [campaign, revision, isStoreRole, viewer.storeIds],
  );
  const [form, setForm] = useState<CampaignForm>(baseline);
  const [savedBaseline, setSavedBaseline] = useState(baseline);
  const [known, setKnown] = useState<Record<string, CreativeInfo>>({});
  const [touched, setTouched] = useState(false);
  const [saveError, setSaveError] = useState<CombinedError | null>(null);
  const [saving, setSaving] = useState(false);
  const [, createCampaign] = useMutation(CreateCampaign);
  const [, updateCampaign] = useMutation(UpdateCampaign);
  const [stores] = useQuery({ query: MyStoresQuery, pause: !isStoreRole });
  const [reviewSettings] = useQuery({ query: ReviewSettingsQuery, pause: !campaign });

  const dirty = !sameForm(form, savedBaseline);
  // The campaign changed on the server (a save, a workflow step, another person): take it unless editing.
  useEffect(() => {
    if (!dirty) setForm(baseline);
    setSavedBaseline(baseline);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [baseline]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const knownCreatives = useMemo(() => {
    const map: Record<string, CreativeInfo> = {};
    for (const c of [...(campaign?.creatives ?? []), ...(revision?.creatives ?? [])]) map[c.id] = c;
    return { ...map, ...known };
  }, [campaign, revision, known]);

  const status = (campaign?.status ?? 'DRAFT') as CampaignStatus;
  const target = { status, storeId: campaign ? campaign.storeId : form.storeId || null };
  const editable = campaign ? canEditContent(viewer, target) : canCreateCampaign(viewer);
  const actions = campaign ? availableActions(viewer, target) : [];
  const outcome = campaign
    ? saveOutcome(status, autoApproves(reviewSettings.data?.campaignSettings, { storeId: campaign.storeId }))
    : 'in-place';
  const isAdmin = viewer.roles.includes('HQ_ADMIN');
  const revisionDecisions = revision
    ? ([...(isAdmin ? ['APPROVE', 'REJECT'] : []), ...(editable ? ['WITHDRAW'] : [])] as (
        'APPROVE' | 'REJECT' | 'WITHDRAW'
      )[])
    : [];
  const creativeName = (cid: string) => knownCreatives[cid]?.name ?? `creative …${cid.slice(-4)}`;
  const lineName = useLineNamer(campaign?.targeting.queue, revision?.targeting.queue);
  const revisionChanges =
    campaign && revision
      ? describeChanges(campaign, revision, creativeName, (iso) => formatDateTime(iso, timeZoneOf(campaign)), lineName)
      : [];
  const clientErrors = validateForm(form, { storeRequired: isStoreRole && !campaign });
  const errors: FormErrors = { ...(touched ? clientErrors : {}), ...serverFieldErrors(saveError) };
  const set = (patch: Partial<CampaignForm>) => setForm((f) => ({ ...f, ...patch }));
  const timeZone =
    campaign?.store?.timezone ?? stores.data?.stores.edges.find((e) => e.node.id === form.storeId)?.node.timezone;

  const save = async (e?: FormEvent) => {
    e?.preventDefault();
    setTouched(true);
    setSaveError(null);
    if (Object.keys(clientErrors).length) {
      toast.error('The campaign is not saved', 'Please correct the highlighted fields.');
      return;
    }
    setSaving(true);
    const input = campaignInput(form);
    if (!campaign) {
      const res = await createCampaign({ input: { ...input, storeId: form.storeId || null } });
      setSaving(false);
      if (res.error || !res.data) return setSaveError(res.error ?? null);
      setSavedBaseline(form);
      toast.success(`Created “${input.name}” as a draft.`);
      navigate(`/campaigns/${res.data.createCampaign.id}`, { replace: true });
      return;
    }
    const res = await updateCampaign({ input: { id: campaign.id, ...input } });
    setSaving(false);
    if (res.error || !res.data) return setSaveError(res.error ?? null);
    setSavedBaseline(form);
    const after = res.data.updateCampaign.status;
    toast.success(
      res.data.updateCampaign.pendingRevision
        ? `Changes sent to review; the ${status.toLowerCase()} version stays on air until they are approved.`
        : after !== campaign.status
          ? `Saved; the campaign is now ${after.toLowerCase().replace('_', ' ')}.`
          : 'Saved.',
    );
  };

  const title = campaign ? campaign.name : 'New campaign';
  return (
    <Page
      title={title}
      description={
        campaign ? (
          <span className="row">
            <StatusBadge status={campaign.status} />
            <span>
              {campaign.store ? (
                <>
                  Store-local: <Link to={`/fleet/stores/${campaign.store.id}`}>{campaign.store.name}</Link>
                </>
              ) : (
                campaignWhere(campaign)
              )}{' '}
              · updated {formatDateTime(campaign.updatedAt)}
            </span>
          </span>
        ) : (
          'A draft until it is submitted for review.'
        )
      }
      actions={
        <>
          <ButtonLink to="/campaigns">Back to campaigns</ButtonLink>
          {campaign ? <ButtonLink to={`/preview?campaign=${campaign.id}`}>Preview on a display</ButtonLink> : null}
          {campaign ? <ButtonLink to={`/reports/campaigns/${campaign.id}`}>Report</ButtonLink> : null}
          {editable ? (
            <Button variant="primary" type="submit" form="campaign-form" busy={saving} disabled={!!campaign && !dirty}>
              {!campaign ? 'Create campaign' : outcome === 'revision' ? 'Send changes to review' : 'Save changes'}
            </Button>
          ) : null}
        </>
      }
    >
      <ErrorNotice error={loadError} />
      {campaign && !editable ? (
        <Notice kind="info">
          {canEditContent({ ...viewer, roles: ['HQ_ADMIN'] }, target)
            ? 'You can view this campaign; your role cannot change it.'
            : `A ${status.toLowerCase()} campaign cannot be edited.`}
        </Notice>
      ) : null}
      {campaign && actions.includes('APPROVE') ? (
        <Notice kind="info">
          Waiting for your decision. <Link to={`/campaigns/${campaign.id}/summary`}>Review the summary</Link> to approve
          or reject it (also on a phone).
        </Notice>
      ) : null}
      {campaign && editable && outcome === 'revision' ? (
        <div data-testid="revision-notice">
          <Notice kind="info">
            <strong>
              This campaign is {status === 'LIVE' ? 'live' : status.toLowerCase()}: edits go to review first.
            </strong>{' '}
            Saving a change of priority, weight, creatives, schedule or targeting sends it to an HQ administrator;
            {status === 'PAUSED' ? ' the approved version stays as it is' : ' the current version stays on air'} until
            the changes are approved. Name and description change at once.
          </Notice>
        </div>
      ) : null}
      {campaign && revision ? (
        <Section title="Changes in review" id="revision-in-review">
          <div className="stack" data-testid="pending-revision">
            <p>
              Edited by {revision.editor?.displayName ?? 'an editor'}, {formatDateTime(revision.updatedAt)}. Displays
              play the {status === 'LIVE' ? 'live' : 'approved'} version until an HQ administrator approves these
              changes. The form below shows them.
            </p>
            <RevisionChanges changes={revisionChanges} />
            <RevisionActions campaignId={campaign.id} decisions={dirty ? [] : revisionDecisions} />
          </div>
        </Section>
      ) : null}
      {campaign && !revision && campaign.reviewNote && REVISED.includes(status) ? (
        <Notice kind="warning">
          <strong>Your last changes were rejected:</strong> {campaign.reviewNote}
        </Notice>
      ) : null}
      {dirty && campaign ? <Notice kind="warning">You have unsaved changes.</Notice> : null}
      <div className="editor-layout">
        <form id="campaign-form" onSubmit={(e) => void save(e)} noValidate aria-label="Campaign">
          <ErrorNotice error={saveError} />
          <Section title="Details">
            <fieldset disabled={!editable} style={{ border: 'none', padding: 0, margin: 0 }}>
              <Field label="Name" required error={errors.name}>
                <input type="text" name="name" value={form.name} onChange={(e) => set({ name: e.target.value })} />
              </Field>
              <Field label="Description">
                <textarea
                  name="description"
                  value={form.description}
                  onChange={(e) => set({ description: e.target.value })}
                />
              </Field>
              {isStoreRole && !campaign ? (
                <Field
                  label="Store"
                  required
                  error={errors.storeId}
                  hint="Store managers create campaigns for their own store"
                >
                  <select value={form.storeId} onChange={(e) => set({ storeId: e.target.value })}>
                    <option value="">Choose a store…</option>
                    {stores.data?.stores.edges
                      .filter((e) => viewer.storeIds.includes(e.node.id))
                      .map(({ node }) => (
                        <option key={node.id} value={node.id}>
                          {node.name}
                        </option>
                      ))}
                  </select>
                </Field>
              ) : null}
              <div className="cols-2">
                <Field
                  label="Priority"
                  error={errors.priority}
                  hint="Only the highest priority with an eligible campaign plays"
                >
                  <input
                    type="number"
                    inputMode="numeric"
                    name="priority"
                    value={form.priority}
                    onChange={(e) => set({ priority: e.target.value })}
                  />
                </Field>
                <Field label="Weight" error={errors.weight} hint="Share of voice among campaigns of equal priority">
                  <input
                    type="number"
                    inputMode="numeric"
                    min={1}
                    name="weight"
                    value={form.weight}
                    onChange={(e) => set({ weight: e.target.value })}
                  />
                </Field>
              </div>
            </fieldset>
          </Section>

          <Section title="Creatives">
            <CreativesEditor
              creativeIds={form.creativeIds}
              known={knownCreatives}
              onChange={(creativeIds) => set({ creativeIds })}
              onKnown={(c) => setKnown((k) => ({ ...k, [c.id]: c }))}
              disabled={!editable}
            />
          </Section>

          <Section title="Schedule">
            <ScheduleEditor
              form={form}
              set={set}
              errors={errors}
              disabled={!editable}
              timeZoneNote={
                timeZone ? `Hours are in the store's time (${timeZone}).` : "Hours are in each store's own local time."
              }
            />
          </Section>

          <Section title="Targeting">
            <TargetingEditor
              targeting={form.targeting}
              onChange={(targeting) => set({ targeting })}
              queue={form.queue}
              onQueueChange={(queue) => set({ queue })}
              errors={errors}
              disabled={!editable}
              storeId={campaign?.storeId ?? (form.storeId || undefined)}
              campaignId={campaign?.id}
              priority={form.priority}
              schedule={Object.keys(clientErrors).length ? null : campaignInput(form).schedule}
              reachQueue={Object.keys(clientErrors).length ? null : campaignInput(form).targeting.queue}
              savedReach={
                viewer.roles.some((r) => ['HQ_ADMIN', 'HQ_EDITOR', 'HQ_VIEWER', 'STORE_MANAGER'].includes(r))
                  ? undefined
                  : (campaign?.matchingDisplayCount ?? 0)
              }
              creatives={form.creativeIds.flatMap((cid) => (knownCreatives[cid] ? [knownCreatives[cid]] : []))}
            />
            <Field
              label="Layout region"
              error={errors.layoutRegion}
              hint="On displays with a layout, the region it plays in (e.g. side); it then plays nowhere else. Empty: the main region, or the whole screen."
            >
              <input
                name="layoutRegion"
                value={form.layoutRegion}
                onChange={(e) => set({ layoutRegion: e.target.value })}
                disabled={!editable}
                maxLength={32}
                placeholder="main region"
              />
            </Field>
          </Section>
        </form>

        <aside aria-label="Status and history" className="stack">
          {campaign ? (
            <>
              <Section title="Status">
                <dl className="meta">
                  <dt>Status</dt>
                  <dd>
                    <StatusBadge status={campaign.status} />
                  </dd>
                  <dt>Displays</dt>
                  <dd>
                    <Link
                      to={`/fleet?campaign=${campaign.id}`}
                      title="See them, with their live status, on the fleet page"
                    >
                      <span data-testid="editor-reach">{describeReach(campaign.reach)}</span>
                    </Link>
                  </dd>
                  <dt>Created</dt>
                  <dd>{formatDateTime(campaign.createdAt)}</dd>
                </dl>
                {campaign.reviewNote && campaign.status === 'DRAFT' ? (
                  <Notice kind="warning">
                    <strong>Sent back by review:</strong> {campaign.reviewNote}
                  </Notice>
                ) : null}
                {campaign.problems.length ? (
                  <Notice kind="warning">
                    <strong>Why it would not play:</strong>
                    <ul className="problems">
                      {campaign.problems.map((p) => (
                        <li key={p}>{p}</li>
                      ))}
                    </ul>
                  </Notice>
                ) : campaign.status === 'LIVE' ? (
                  <Notice kind="success">Nothing stops it from playing.</Notice>
                ) : null}
                {campaign.pausedStoreIds.length ? (
                  <p>
                    Paused in {campaign.pausedStoreIds.length} store(s):{' '}
                    {campaign.pausedStoreIds.map((sid, i) => (
                      <span key={sid}>
                        {i ? ', ' : ''}
                        <Link to={`/fleet/stores/${sid}`}>store {sid.slice(-4)}</Link>
                      </span>
                    ))}
                  </p>
                ) : null}
              </Section>
              {viewer.roles.includes('STORE_MANAGER') &&
              !campaign.storeId &&
              viewer.storeIds.length > 0 &&
              ['APPROVED', 'LIVE', 'PAUSED'].includes(campaign.status) ? (
                <Section title="Your stores">
                  <StorePauses campaign={campaign} storeIds={viewer.storeIds} />
                </Section>
              ) : null}
              <Section title="Workflow">
                <CampaignActions
                  campaignId={campaign.id}
                  actions={actions}
                  blockedReason={dirty ? 'Save or discard your changes first.' : null}
                />
              </Section>
              <Section title="History">
                <CampaignHistory history={campaign.history} viewerId={viewer.userId} />
              </Section>
            </>
          ) : (
            <Section title="Next steps">
              <p>
                Create the campaign as a draft; then submit it for review. An HQ administrator approves it before it
                plays.
              </p>
            </Section>
          )}
        </aside>
      </div>
    </Page>
  );
}
