import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { useQuery } from 'urql';
import { useSession } from '@phub/web-kit';
import { graphql } from '../../gql';
import type { CampaignStatus } from '../../gql/graphql';
import { Button, Empty, ErrorNotice, Field, Loading, statusLabel } from '../../ui';
import { addDays, buildCalendar, weekOf, type CalendarCampaign } from './calendar';

const CalendarDoc = graphql(`
  query LocationCalendar($status: [CampaignStatus!], $withGroups: Boolean!) {
    campaigns(first: 100, filter: { status: $status }) {
      totalCount
      edges {
        node {
          id
          name
          status
          priority
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
          }
          matchingDisplays {
            id
            store {
              id
              name
              timezone
            }
            groups @include(if: $withGroups) {
              id
              name
            }
          }
        }
      }
    }
  }
`);

const STATUSES: CampaignStatus[] = ['LIVE', 'APPROVED', 'PAUSED'];
const DAY_FORMAT = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  timeZone: 'UTC',
});
const RANGE_FORMAT = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

function today(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}
const asUtc = (date: string) => new Date(`${date}T00:00:00Z`);

/**
 * What plays where this week: per store or display group and day, the campaigns whose schedule allows them and
 * whose targeting matches displays there, with their dayparts in the store's own time.
 */
export function CalendarTab() {
  const { hasRole } = useSession();
  // Groups are HQ's: store roles see the calendar by store only (the graph says the same).
  const mayGroup = hasRole('HQ_ADMIN', 'HQ_EDITOR', 'HQ_VIEWER');
  const [anchor, setAnchor] = useState(today);
  const [by, setBy] = useState<'store' | 'group'>('store');
  const week = useMemo(() => weekOf(anchor), [anchor]);
  const [result, refetch] = useQuery({
    query: CalendarDoc,
    variables: { status: STATUSES, withGroups: by === 'group' },
  });
  const campaigns: CalendarCampaign[] = useMemo(
    () =>
      (result.data?.campaigns.edges ?? []).map(({ node }) => ({
        id: node.id,
        name: node.name,
        status: node.status,
        priority: node.priority,
        schedule: node.schedule,
        displays: node.matchingDisplays,
      })),
    [result.data],
  );
  const rows = useMemo(() => buildCalendar(campaigns, week, by), [campaigns, week, by]);
  const isThisWeek = week.includes(today());
  return (
    <div className="stack">
      <div className="locations-bar">
        <div className="row calendar-week" role="group" aria-label="Week">
          <Button onClick={() => setAnchor(addDays(week[0]!, -7))} aria-label="Previous week">
            ←
          </Button>
          <h2 className="calendar-range" aria-live="polite">
            {RANGE_FORMAT.format(asUtc(week[0]!))} – {RANGE_FORMAT.format(asUtc(week[6]!))}
          </h2>
          <Button onClick={() => setAnchor(addDays(week[0]!, 7))} aria-label="Next week">
            →
          </Button>
          {!isThisWeek ? <Button onClick={() => setAnchor(today())}>This week</Button> : null}
        </div>
        <form className="filters" aria-label="Calendar rows" onSubmit={(e) => e.preventDefault()}>
          <Field label="Rows">
            <select value={by} onChange={(e) => setBy(e.target.value as 'store' | 'group')}>
              <option value="store">Stores</option>
              {mayGroup ? <option value="group">Display groups</option> : null}
            </select>
          </Field>
        </form>
      </div>
      <p className="muted">
        Live, approved and paused campaigns by the displays they match; times are each store’s own. Where several match,
        the highest priority plays.
      </p>
      <ErrorNotice error={result.error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />
      {result.fetching && !result.data ? <Loading label="Loading the week…" /> : null}
      {result.data && !rows.length ? (
        <Empty title={by === 'group' ? 'No display group has a campaign this week.' : 'Nothing is scheduled.'}>
          {by === 'group'
            ? 'Add displays to groups in the Displays tab.'
            : 'Campaigns that are live or approved appear here.'}
        </Empty>
      ) : null}
      {rows.length ? (
        <div className="table-wrap calendar-wrap">
          <table className="table calendar" data-testid="week-calendar">
            <caption className="visually-hidden">
              Campaigns by {by === 'group' ? 'display group' : 'store'} and day
            </caption>
            <thead>
              <tr>
                <th scope="col">{by === 'group' ? 'Group' : 'Store'}</th>
                {week.map((d) => (
                  <th key={d} scope="col" aria-current={d === today() ? 'date' : undefined}>
                    {DAY_FORMAT.format(asUtc(d))}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id} data-row={row.name}>
                  <th scope="row">{row.name}</th>
                  {row.days.map((entries, i) => (
                    <td key={week[i]} data-date={week[i]}>
                      {entries.length ? (
                        <ul className="calendar-entries">
                          {entries.map((e) => (
                            <li
                              key={e.campaignId}
                              className={`calendar-entry calendar-entry--${e.status.toLowerCase()}`}
                            >
                              <Link to={`/campaigns/${e.campaignId}`}>{e.name}</Link>
                              <span className="calendar-when">{e.windows.join(', ')}</span>
                              <span className="calendar-meta">
                                {e.status !== 'LIVE' ? `${statusLabel(e.status)} · ` : ''}
                                {e.displays} {e.displays === 1 ? 'display' : 'displays'} · priority {e.priority}
                              </span>
                            </li>
                          ))}
                        </ul>
                      ) : (
                        <span className="muted">Nothing</span>
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
