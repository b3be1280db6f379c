import { Link } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { Button, Empty, ErrorNotice, Loading, StatusBadge, formatDateTime } from '../../ui';
import { DisplayStatusBadge } from './parts';
import { countByStatus, STATUSES, STATUS_LABEL, withLive, type Overlay } from './status';

const FleetCampaignReach = graphql(`
  query FleetCampaignReach($id: ID!) {
    campaign(id: $id) {
      id
      name
      status
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
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">Displays this campaign reaches, with their status</caption>
              <thead>
                <tr>
                  <th scope="col">Display</th>
                  <th scope="col">Store</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last seen</th>
                </tr>
              </thead>
              <tbody>
                {displays.map((d) => (
                  <tr key={d.id} data-display-id={d.id} data-status={d.status} data-reached="true">
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
