import { useState } from 'react';
import { useMutation, type CombinedError } from 'urql';
import { graphql } from '../../gql';
import { Button, Dialog, ErrorNotice, Field, useToast } from '../../ui';
import type { Change } from './revision';
import './campaign-review.css';

const ApproveRevision = graphql(`
  mutation ApproveCampaignRevision($id: ID!) {
    approveCampaignRevision(campaignId: $id) {
      id
      status
      pendingRevision {
        id
      }
    }
  }
`);
const RejectRevision = graphql(`
  mutation RejectCampaignRevision($id: ID!, $reason: String!) {
    rejectCampaignRevision(campaignId: $id, reason: $reason) {
      id
      status
      reviewNote
      pendingRevision {
        id
      }
    }
  }
`);
const WithdrawRevision = graphql(`
  mutation WithdrawCampaignRevision($id: ID!) {
    withdrawCampaignRevision(campaignId: $id) {
      id
      status
      pendingRevision {
        id
      }
    }
  }
`);

/** What a revision changes, before → after, as a reviewer reads it (a list: it wraps on a phone). */
export function RevisionChanges({ changes }: { changes: readonly Change[] }) {
  if (!changes.length) return <p className="muted">It changes nothing that plays.</p>;
  return (
    <dl className="revision-changes" data-testid="revision-changes">
      {changes.map((c) => (
        <div key={c.label}>
          <dt>{c.label}</dt>
          <dd>
            <span className="revision-before">
              <span className="visually-hidden">Live: </span>
              {c.before}
            </span>{' '}
            <span aria-hidden="true">→</span>{' '}
            <span className="revision-after">
              <span className="visually-hidden">In review: </span>
              {c.after}
            </span>
          </dd>
        </div>
      ))}
    </dl>
  );
}

type Decision = 'APPROVE' | 'REJECT' | 'WITHDRAW';
const LABELS: Record<Decision, string> = {
  APPROVE: 'Approve changes',
  REJECT: 'Reject changes',
  WITHDRAW: 'Withdraw changes',
};
const TEXT: Record<Decision, string> = {
  APPROVE: 'The changes replace the live version; displays switch at once.',
  REJECT: 'The live version keeps playing; the reason is shown to the editors.',
  WITHDRAW: 'Your changes are dropped; the live version keeps playing.',
};

/** Approve or reject (HQ admins) or withdraw (editors) a campaign's revision in review. */
export function RevisionActions({ campaignId, decisions }: { campaignId: string; decisions: readonly Decision[] }) {
  const toast = useToast();
  const [dialog, setDialog] = useState<Decision | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CombinedError | null>(null);
  const [, approve] = useMutation(ApproveRevision);
  const [, reject] = useMutation(RejectRevision);
  const [, withdraw] = useMutation(WithdrawRevision);
  if (!decisions.length) return null;

  const run = async (decision: Decision) => {
    setBusy(true);
    setError(null);
    const id = campaignId;
    const result = await (decision === 'APPROVE'
      ? approve({ id })
      : decision === 'REJECT'
        ? reject({ id, reason: reason.trim() })
        : withdraw({ id }));
    setBusy(false);
    if (result.error) return setError(result.error);
    setDialog(null);
    setReason('');
    toast.success(
      decision === 'APPROVE'
        ? 'Changes approved: they are what plays now.'
        : decision === 'REJECT'
          ? 'Changes rejected: the live version keeps playing.'
          : 'Changes withdrawn: the live version keeps playing.',
    );
  };

  return (
    <div className="stack">
      <div className="toolbar" role="group" aria-label="Changes in review">
        {decisions.map((d) => (
          <Button
            key={d}
            variant={d === 'APPROVE' ? 'primary' : d === 'REJECT' ? 'danger' : 'secondary'}
            onClick={() => {
              setError(null);
              setDialog(d);
            }}
          >
            {LABELS[d]}
          </Button>
        ))}
      </div>
      {!dialog ? <ErrorNotice error={error} /> : null}
      <Dialog
        open={!!dialog}
        title={dialog ? LABELS[dialog] : ''}
        description={dialog ? TEXT[dialog] : undefined}
        onClose={() => {
          setDialog(null);
          setError(null);
        }}
        actions={
          dialog ? (
            <>
              <Button onClick={() => setDialog(null)}>Cancel</Button>
              <Button
                variant={dialog === 'APPROVE' ? 'primary' : dialog === 'REJECT' ? 'danger' : 'secondary'}
                busy={busy}
                disabled={dialog === 'REJECT' && !reason.trim()}
                onClick={() => void run(dialog)}
              >
                {LABELS[dialog]}
              </Button>
            </>
          ) : null
        }
      >
        {dialog === 'REJECT' ? (
          <Field label="Reason" required>
            <textarea value={reason} onChange={(e) => setReason(e.target.value)} />
          </Field>
        ) : null}
        {dialog ? <ErrorNotice error={error} /> : null}
      </Dialog>
    </div>
  );
}
