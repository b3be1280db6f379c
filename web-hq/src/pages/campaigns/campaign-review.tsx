import { useSession } from '@phub/web-kit';
import { Link, useParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { ButtonLink, Empty, ErrorNotice, Loading, Notice, Page, Section, StatusBadge, formatDateTime } from '../../ui';
import { formatDuration } from '../../lib/format';
import { CampaignActions } from './campaign-actions';
import { CreativePreview } from './creatives-editor';
import { describeDayparts, type Daypart } from './daypart-grid';
import { campaignWhere, describeTargeting } from './targeting';
import { availableActions, type CampaignStatus } from './transitions';
import { describeChanges, describeReach } from './revision';
import { useLineNamer } from './queue-lines';
import { RevisionActions, RevisionChanges } from './revision-panel';
import './campaign-review.css';

// Approvals on a phone (Campaign Mobile): what waits for review, and one campaign's summary with the decision
// at hand. Both are one column that fits 390 px; the decision sits in a footer that stays on screen.

const ReviewInbox = graphql(`
  query ReviewInbox {
    campaigns(first: 100, filter: { needsReview: true }) {
      totalCount
      edges {
        node {
          id
          name
          status
          updatedAt
          matchingDisplayCount
          creativeIds
          targeting {
            include {
              kind
              value
            }
            exclude {
              kind
              value
            }
          }
          pendingRevision {
            id
            changes
            updatedAt
            editor {
              id
              displayName
            }
          }
          store {
            id
            name
          }
          history {
            id
            action
            occurredAt
            actor {
              id
              displayName
            }
          }
        }
      }
    }
  }
`);

/** Who submitted it and when: the last SUBMIT in its history. */
function submission(
  history: readonly { action: string; occurredAt: string; actor?: { displayName: string } | null }[],
) {
  const last = [...history].reverse().find((h) => h.action === 'SUBMIT');
  return last ? { by: last.actor?.displayName ?? 'someone', at: last.occurredAt } : null;
}

/** The review inbox: every campaign waiting for an HQ administrator's decision, oldest submission first. */
export function ReviewInboxPage() {
  const [result, refetch] = useQuery({ query: ReviewInbox, requestPolicy: 'cache-and-network' });
  const rows = (result.data?.campaigns.edges.map((e) => e.node) ?? [])
    .map((c) => ({
      ...c,
      submitted: c.pendingRevision
        ? { by: c.pendingRevision.editor?.displayName ?? 'someone', at: c.pendingRevision.updatedAt }
        : submission(c.history),
    }))
    .sort((a, b) => (a.submitted?.at ?? a.updatedAt).localeCompare(b.submitted?.at ?? b.updatedAt));
  return (
    <Page
      title="Waiting for my approval"
      description={
        result.data
          ? `${result.data.campaigns.totalCount} campaign${result.data.campaigns.totalCount === 1 ? '' : 's'} or change${result.data.campaigns.totalCount === 1 ? '' : 's'} in review`
          : undefined
      }
    >
      <ErrorNotice error={result.error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />
      {!result.data ? (
        result.fetching ? (
          <Loading label="Loading campaigns in review…" />
        ) : null
      ) : rows.length === 0 ? (
        <Empty title="Nothing waits for your approval.">
          Campaigns appear here when an editor submits them, or edits one that is approved.
        </Empty>
      ) : (
        <ul className="review-list" aria-label="Campaigns in review">
          {rows.map((c) => (
            <li key={c.id}>
              <Link
                to={`/campaigns/${c.id}/summary`}
                className={c.pendingRevision ? 'review-card review-card--revision' : 'review-card'}
              >
                <span className="review-card-name">{c.name}</span>
                {c.pendingRevision ? (
                  <span className="review-card-revision" data-testid="inbox-revision">
                    Changes to a {c.status === 'LIVE' ? 'live' : c.status.toLowerCase()} campaign (
                    {c.pendingRevision.changes.map((f) => f.toLowerCase()).join(', ')}); the current version keeps
                    playing
                  </span>
                ) : null}
                <span className="review-card-meta">
                  {campaignWhere(c)} · {c.matchingDisplayCount} displays · {c.creativeIds.length} creative
                  {c.creativeIds.length === 1 ? '' : 's'}
                </span>
                <span className="review-card-meta">
                  {c.submitted
                    ? `${c.pendingRevision ? 'Edited' : 'Submitted'} by ${c.submitted.by}, ${formatDateTime(c.submitted.at)}`
                    : `Updated ${formatDateTime(c.updatedAt)}`}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}

const CampaignSummary = graphql(`
  query CampaignSummary($id: ID!) {
    campaign(id: $id) {
      id
      name
      description
      status
      priority
      weight
      storeId
      reviewNote
      updatedAt
      matchingDisplayCount
      reach {
        asIfLive
        matchingCount
        playingCount
        outrankedCount
      }
      creativeIds
      pendingRevision {
        id
        priority
        weight
        changes
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
      creatives {
        ...CreativeFields
      }
      history {
        id
        action
        occurredAt
        reason
        actor {
          id
          displayName
        }
      }
    }
  }
`);

/** One campaign as a reviewer needs it: what plays, where, when, how many displays; approve or reject. */
export function CampaignSummaryPage() {
  const { id = '' } = useParams();
  const { viewer } = useSession();
  const [result, refetch] = useQuery({ query: CampaignSummary, variables: { id } });
  const c = result.data?.campaign;
  const lineName = useLineNamer(c?.targeting.queue, c?.pendingRevision?.targeting.queue);
  if (!viewer) return null;
  if (!c) {
    return (
      <Page title="Campaign summary">
        {result.fetching ? <Loading label="Loading the campaign…" /> : null}
        <ErrorNotice error={result.error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />
        {!result.fetching && !result.error ? (
          <ErrorNotice error={Object.assign(new Error(`No campaign ${id}`), { code: 'NOT_FOUND' })} />
        ) : null}
      </Page>
    );
  }
  const status = c.status as CampaignStatus;
  const decisions = availableActions(viewer, { status, storeId: c.storeId }).filter(
    (a) => a === 'APPROVE' || a === 'REJECT',
  );
  const submitted = submission(c.history);
  const revision = c.pendingRevision;
  const isAdmin = viewer.roles.includes('HQ_ADMIN');
  const names = new Map([...c.creatives, ...(revision?.creatives ?? [])].map((cr) => [cr.id, cr.name]));
  const changes = revision
    ? describeChanges(
        c,
        revision,
        (cid) => names.get(cid) ?? `creative …${cid.slice(-4)}`,
        (iso) => formatDateTime(iso, c.store?.timezone),
        lineName,
      )
    : [];
  const s = c.schedule;
  const tz = c.store?.timezone;
  const period =
    s.startDate || s.endDate
      ? `${s.startDate ?? 'now'} to ${s.endDate ?? 'open end'}`
      : s.startsAt || s.endsAt
        ? `${s.startsAt ? formatDateTime(s.startsAt, tz) : 'now'} to ${s.endsAt ? formatDateTime(s.endsAt, tz) : 'open end'}`
        : 'From approval, no end date';
  return (
    <Page
      title={c.name}
      description={
        <span className="row">
          <StatusBadge status={c.status} />
          <span>{campaignWhere(c)}</span>
        </span>
      }
    >
      <div className={decisions.length || (revision && isAdmin) ? 'summary summary--with-decision' : 'summary'}>
        {revision ? (
          <Section title="Changes in review" id="summary-revision">
            <div className="stack" data-testid="summary-revision">
              <p>
                Edited by <strong>{revision.editor?.displayName ?? 'an editor'}</strong>,{' '}
                {formatDateTime(revision.updatedAt)}. The {status === 'LIVE' ? 'live' : 'approved'} version below keeps
                playing until the changes are approved.
              </p>
              <RevisionChanges changes={changes} />
            </div>
          </Section>
        ) : null}
        {status === 'IN_REVIEW' && submitted ? (
          <p className="summary-submitted">
            Submitted by <strong>{submitted.by}</strong>, {formatDateTime(submitted.at)}
          </p>
        ) : null}
        {c.description ? <p className="summary-description">{c.description}</p> : null}
        {c.reviewNote && status === 'DRAFT' ? (
          <Notice kind="warning">
            <strong>Sent back:</strong> {c.reviewNote}
          </Notice>
        ) : null}
        {c.problems.length ? (
          <Notice kind="warning">
            <strong>Why it would not play:</strong>
            <ul className="problems">
              {c.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </Notice>
        ) : null}

        <dl className="summary-facts">
          <div>
            <dt>Reach</dt>
            <dd>
              <Link to={`/fleet?campaign=${c.id}`}>
                <strong className="summary-reach">{c.matchingDisplayCount}</strong>{' '}
                {c.matchingDisplayCount === 1 ? 'display' : 'displays'}
              </Link>
              <br />
              <span className="muted" data-testid="summary-reach-now">
                {describeReach(c.reach)}
              </span>
            </dd>
          </div>
          <div>
            <dt>Where</dt>
            <dd>{describeTargeting(c.targeting, undefined, lineName)}</dd>
          </div>
          <div>
            <dt>When</dt>
            <dd>
              {period}
              <br />
              {describeDayparts(c.schedule.dayparts as Daypart[])}
              {tz ? ` (${tz})` : " (each store's local time)"}
              {s.maxPlaysPerHour ? `; at most ${s.maxPlaysPerHour} plays an hour` : ''}
            </dd>
          </div>
          <div>
            <dt>Priority</dt>
            <dd>
              {c.priority} (weight {c.weight})
            </dd>
          </div>
        </dl>

        <Section title={`Creatives (${c.creatives.length})`} id="summary-creatives">
          {c.creatives.length === 0 ? (
            <p className="muted">No creative: it would play nothing.</p>
          ) : (
            <ul className="summary-creatives">
              {c.creatives.map((cr) => (
                <li key={cr.id} className="summary-creative">
                  <CreativePreview creative={cr} />
                  <span className="summary-creative-name">{cr.name}</span>
                  <span className="muted small">
                    {cr.kind.toLowerCase()} · {formatDuration(cr.durationMs)}
                    {cr.status !== 'READY' ? ` · ${cr.status.toLowerCase()}` : ''}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Section>

        <p className="summary-links">
          <Link to={`/campaigns/${c.id}`}>Open in the editor</Link>
          {' · '}
          <Link to={`/preview?campaign=${c.id}`}>Preview on a display</Link>
          {' · '}
          <Link to="/reviews">Back to the inbox</Link>
        </p>
      </div>

      {revision && isAdmin ? (
        <div className="decision-bar" role="region" aria-label="Decision">
          <RevisionActions campaignId={c.id} decisions={['APPROVE', 'REJECT']} />
        </div>
      ) : decisions.length ? (
        <div className="decision-bar" role="region" aria-label="Decision">
          <CampaignActions campaignId={c.id} actions={decisions} />
        </div>
      ) : revision ? null : status !== 'IN_REVIEW' ? (
        <Notice kind="info">
          This campaign is {status.toLowerCase().replace('_', ' ')}: nothing to decide.{' '}
          <ButtonLink to="/reviews">Back to the inbox</ButtonLink>
        </Notice>
      ) : null}
    </Page>
  );
}
