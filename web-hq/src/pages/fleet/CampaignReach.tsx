import { Link } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { Button, Empty, ErrorNotice, Loading, StatusBadge, formatDateTime } from '../../ui';
import { describeReach } from '../campaigns/revision';
import { DisplayStatusBadge } from './parts';
import { countByStatus, STATUSES, STATUS_LABEL, withLive, type Overlay } from './status';

const FleetCampaignReach = graphql(`
  query FleetCampaignReach($id: ID!) {
    campaign(id: $id) {
      id
      name
      status
      reach {
        asIfLive
        matchingCount
        playingCount
        outrankedCount
        playingDisplays {
          id
        }
        outrankedDisplays {
          display {
            id
          }
          byOverride
          byTakeover
          byCampaigns {
            id
            name
            priority
          }
        }
      }
      matchingDisplays {
        id
        name
        placement
        status
        lastSeenAt
        store {
          id
          name
        }
      }
    }
  }
`);

/**
 * The displays a campaign reaches (its targeting, of those the viewer may see), with their live status:
 * where to look after approving a campaign. Opened from a campaign with `/fleet?campaign=<id>`.
 */
export function CampaignReach({
  campaignId,
  overlay,
  onClear,
}: {
  campaignId: string;
  overlay: Overlay;
  onClear: () => void;
}) {
  const [result] = useQuery({ query: FleetCampaignReach, variables: { id: campaignId } });
  const campaign = result.data?.campaign;
  const displays = (campaign?.matchingDisplays ?? []).map((d) => withLive(d, overlay));
  const counts = countByStatus(displays);
  const reach = campaign?.reach;
  const playing = new Set(reach?.playingDisplays.map((d) => d.id));
  const outranked = new Map(reach?.outrankedDisplays.map((o) => [o.display.id, o]));
  // Where it plays now, by the same computation as the editor, the list and the reports.
  const now = (id: string) => {
    if (playing.has(id)) return reach?.asIfLive ? 'Would play' : 'Playing';
    const o = outranked.get(id);
    if (!o) return 'Not due now';
    if (o.byTakeover) return 'Outranked by a store takeover';
    if (o.byOverride) return 'Outranked by an override';
    const names = o.byCampaigns.map((c) => `${c.name} (priority ${c.priority})`).join(', ');
    return names ? `Outranked by ${names}` : 'Outranked by a higher priority';
  };
  return (
    <section className="section" aria-labelledby="fleet-reach-title" data-testid="campaign-reach">
      <div className="section-header">
        <h2 id="fleet-reach-title">
          {campaign ? (
            <>
              Displays reached by <Link to={`/campaigns/${campaign.id}`}>{campaign.name}</Link>
            </>
          ) : (
            'Displays reached by a campaign'
          )}
        </h2>
        <div className="row">
          {campaign && <StatusBadge status={campaign.status} />}
          <Button variant="ghost" onClick={onClear}>
            Show the whole fleet
          </Button>
        </div>
      </div>
      {result.error ? (
        <ErrorNotice error={result.error} />
      ) : result.fetching && !result.data ? (
        <Loading label="Finding the displays this campaign reaches…" />
      ) : !campaign ? (
        <Empty title="No such campaign">It may have been archived, or it is not one you can see.</Empty>
      ) : displays.length === 0 ? (
        <Empty title="Its targeting reaches no display you can see" />
      ) : (
        <>
          <p className="muted" data-testid="campaign-reach-summary">
            {displays.length} {displays.length === 1 ? 'display' : 'displays'} match its targeting now (schedule and
            store pauses aside):{' '}
            {STATUSES.filter((s) => counts[s] > 0)
              .map((s) => `${counts[s]} ${STATUS_LABEL[s].toLowerCase()}`)
              .join(', ')}
            .
          </p>
          {reach ? (
            <p data-testid="campaign-reach-now">
              <strong>{describeReach(reach)}</strong>
            </p>
          ) : null}
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">Displays this campaign reaches, with their status</caption>
              <thead>
                <tr>
                  <th scope="col">Display</th>
                  <th scope="col">Store</th>
                  <th scope="col">Status</th>
                  <th scope="col">This campaign now</th>
                  <th scope="col">Last seen</th>
                </tr>
              </thead>
              <tbody>
                {displays.map((d) => (
                  <tr
                    key={d.id}
                    data-display-id={d.id}
                    data-status={d.status}
                    data-reached="true"
                    data-now={playing.has(d.id) ? 'playing' : outranked.has(d.id) ? 'outranked' : 'not-now'}
                  >
                    <th scope="row">
                      {d.name}
                      {d.placement ? <span className="muted"> · {d.placement}</span> : null}
                    </th>
                    <td>
                      <Link to={`stores/${d.store.id}`}>{d.store.name}</Link>
                    </td>
                    <td>
                      <DisplayStatusBadge status={d.status} />
                    </td>
                    <td>{now(d.id)}</td>
                    <td>{d.lastSeenAt ? formatDateTime(d.lastSeenAt) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
