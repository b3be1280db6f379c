import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useMutation, useQuery, type CombinedError } from 'urql';
import { graphql } from '../../gql';
import { Button, Dialog, ErrorNotice, Field, useToast } from '../../ui';

const StoreNames = graphql(`
  query StorePauseStores($first: Int!) {
    stores(first: $first) {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`);
const PauseForStore = graphql(`
  mutation PauseCampaignForStore($campaignId: ID!, $storeId: ID!, $reason: String) {
    pauseCampaignForStore(campaignId: $campaignId, storeId: $storeId, reason: $reason) {
      id
      status
      pausedStoreIds
    }
  }
`);
const ResumeForStore = graphql(`
  mutation ResumeCampaignForStore($campaignId: ID!, $storeId: ID!) {
    resumeCampaignForStore(campaignId: $campaignId, storeId: $storeId) {
      id
      status
      pausedStoreIds
    }
  }
`);

/**
 * A store manager's say over a tenant-wide campaign: take it off their own store's displays (with a reason,
 * kept in the history) and put it back. HQ pauses everywhere with the workflow instead.
 */
export function StorePauses({
  campaign,
  storeIds,
}: {
  campaign: { id: string; name: string; pausedStoreIds: readonly string[] };
  storeIds: readonly string[];
}) {
  const toast = useToast();
  const [stores] = useQuery({ query: StoreNames, variables: { first: 100 } });
  const [pausing, setPausing] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<CombinedError | null>(null);
  const [pauseState, pause] = useMutation(PauseForStore);
  const [resumeState, resume] = useMutation(ResumeForStore);
  const names = new Map((stores.data?.stores.edges ?? []).map((e) => [e.node.id, e.node.name]));
  const nameOf = (id: string) => names.get(id) ?? `store …${id.slice(-4)}`;

  const confirmPause = async () => {
    if (!pausing) return;
    setError(null);
    const res = await pause({ campaignId: campaign.id, storeId: pausing, reason: reason.trim() || null });
    if (res.error) return setError(res.error);
    toast.success(`“${campaign.name}” no longer plays in ${nameOf(pausing)}.`);
    setPausing(null);
    setReason('');
  };
  const doResume = async (storeId: string) => {
    setError(null);
    const res = await resume({ campaignId: campaign.id, storeId });
    if (res.error) return setError(res.error);
    toast.success(`“${campaign.name}” plays in ${nameOf(storeId)} again.`);
  };

  return (
    <div className="stack" data-testid="store-pauses">
      <ul className="plain-list">
        {storeIds.map((storeId) => {
          const paused = campaign.pausedStoreIds.includes(storeId);
          return (
            <li key={storeId} className="row" data-store-id={storeId} data-paused={paused}>
              <span>
                <Link to={`/fleet/stores/${storeId}`}>{nameOf(storeId)}</Link>:{' '}
                {paused ? <strong>paused in this store</strong> : 'plays here when scheduled'}
              </span>
              {paused ? (
                <Button busy={resumeState.fetching} onClick={() => void doResume(storeId)}>
                  Resume in {nameOf(storeId)}
                </Button>
              ) : (
                <Button variant="secondary" onClick={() => setPausing(storeId)}>
                  Pause in {nameOf(storeId)}
                </Button>
              )}
            </li>
          );
        })}
      </ul>
      {!pausing ? <ErrorNotice error={error} /> : null}
      <Dialog
        open={!!pausing}
        title={pausing ? `Pause in ${nameOf(pausing)}` : ''}
        description="It stops playing on this store’s displays only, until you resume it; the rest of the chain is unaffected."
        onClose={() => {
          setPausing(null);
          setError(null);
        }}
        actions={
          <>
            <Button onClick={() => setPausing(null)}>Cancel</Button>
            <Button variant="primary" busy={pauseState.fetching} onClick={() => void confirmPause()}>
              Pause here
            </Button>
          </>
        }
      >
        <Field label="Reason" hint="Optional; kept in the history">
          <textarea value={reason} onChange={(e) => setReason(e.target.value)} />
        </Field>
        {pausing ? <ErrorNotice error={error} /> : null}
      </Dialog>
    </div>
  );
}
