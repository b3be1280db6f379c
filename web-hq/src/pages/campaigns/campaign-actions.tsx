import { useState } from 'react';
import { useMutation, type CombinedError } from 'urql';
import { graphql } from '../../gql';
import { Button, Dialog, ErrorNotice, Field, useToast, type ButtonVariant } from '../../ui';
import { ACTION_LABELS, WORKFLOW, type WorkflowAction } from './transitions';

const Submit = graphql(`
  mutation SubmitCampaign($id: ID!) {
    submitCampaign(id: $id) {
      id
      status
    }
  }
`);
const Approve = graphql(`
  mutation ApproveCampaign($id: ID!, $goLive: Boolean!) {
    approveCampaign(id: $id, goLive: $goLive) {
      id
      status
    }
  }
`);
const Reject = graphql(`
  mutation RejectCampaign($id: ID!, $reason: String!) {
    rejectCampaign(id: $id, reason: $reason) {
      id
      status
    }
  }
`);
const Publish = graphql(`
  mutation PublishCampaign($id: ID!) {
    publishCampaign(id: $id) {
      id
      status
    }
  }
`);
const Pause = graphql(`
  mutation PauseCampaign($id: ID!, $reason: String) {
    pauseCampaign(id: $id, reason: $reason) {
      id
      status
    }
  }
`);
const Resume = graphql(`
  mutation ResumeCampaign($id: ID!) {
    resumeCampaign(id: $id) {
      id
      status
    }
  }
`);
const End = graphql(`
  mutation EndCampaign($id: ID!, $reason: String) {
    endCampaign(id: $id, reason: $reason) {
      id
      status
    }
  }
`);
const Archive = graphql(`
  mutation ArchiveCampaign($id: ID!) {
    archiveCampaign(id: $id) {
      id
      status
    }
  }
`);

/** How each action is confirmed: directly, or in a dialog (with a reason where the graph takes one). */
const CONFIRM: Record<
  WorkflowAction,
  { reason?: 'required' | 'optional'; dialog: boolean; variant: ButtonVariant; text?: string }
> = {
  SUBMIT: { dialog: false, variant: 'primary' },
  APPROVE: {
    dialog: true,
    variant: 'primary',
    text: 'It becomes approved; with “Go live now” it starts playing at once.',
  },
  REJECT: {
    dialog: true,
    reason: 'required',
    variant: 'danger',
    text: 'It goes back to draft; the reason is shown to its editors.',
  },
  PUBLISH: { dialog: false, variant: 'primary' },
  PAUSE: { dialog: true, reason: 'optional', variant: 'secondary', text: 'It stops playing everywhere until resumed.' },
  RESUME: { dialog: false, variant: 'primary' },
  END: {
    dialog: true,
    reason: 'optional',
    variant: 'danger',
    text: 'It stops playing for good; an ended campaign can only be archived.',
  },
  ARCHIVE: {
    dialog: true,
    variant: 'secondary',
    text: 'It leaves the campaign lists (filter by Archived to find it).',
  },
};

/** The workflow buttons the viewer may use on this campaign; each runs its mutation (confirmed where it matters). */
export function CampaignActions({
  campaignId,
  actions,
  blockedReason,
}: {
  campaignId: string;
  actions: readonly WorkflowAction[];
  /** When set, actions are disabled with this explanation (e.g. unsaved changes) */
  blockedReason?: string | null;
}) {
  const toast = useToast();
  const [pending, setPending] = useState<WorkflowAction | null>(null);
  const [dialog, setDialog] = useState<WorkflowAction | null>(null);
  const [reason, setReason] = useState('');
  const [goLive, setGoLive] = useState(true);
  const [error, setError] = useState<CombinedError | null>(null);
  const [, submit] = useMutation(Submit);
  const [, approve] = useMutation(Approve);
  const [, reject] = useMutation(Reject);
  const [, publish] = useMutation(Publish);
  const [, pause] = useMutation(Pause);
  const [, resume] = useMutation(Resume);
  const [, end] = useMutation(End);
  const [, archive] = useMutation(Archive);

  const run = async (action: WorkflowAction) => {
    setPending(action);
    setError(null);
    const id = campaignId;
    const r = reason.trim() || null;
    const result = await (() => {
      switch (action) {
        case 'SUBMIT':
          return submit({ id });
        case 'APPROVE':
          return approve({ id, goLive });
        case 'REJECT':
          return reject({ id, reason: r ?? '' });
        case 'PUBLISH':
          return publish({ id });
        case 'PAUSE':
          return pause({ id, reason: r });
        case 'RESUME':
          return resume({ id });
        case 'END':
          return end({ id, reason: r });
        case 'ARCHIVE':
          return archive({ id });
      }
    })();
    setPending(null);
    if (result.error) {
      setError(result.error);
      return;
    }
    setDialog(null);
    setReason('');
    const status = Object.values(result.data ?? {})[0] as { status?: string } | undefined;
    toast.success(
      `${ACTION_LABELS[action]}: the campaign is now ${(status?.status ?? WORKFLOW[action].to).toLowerCase().replace('_', ' ')}.`,
    );
  };

  if (!actions.length) return <p className="muted">No workflow step is open to you in this status.</p>;
  const open = dialog ? CONFIRM[dialog] : null;
  return (
    <div className="stack">
      <div className="toolbar" role="group" aria-label="Workflow">
        {actions.map((action) => (
          <Button
            key={action}
            variant={CONFIRM[action].variant}
            busy={pending === action && !dialog}
            disabled={!!blockedReason || (!!pending && pending !== action)}
            aria-describedby={blockedReason ? 'actions-blocked' : undefined}
            onClick={() => {
              setError(null);
              if (CONFIRM[action].dialog) setDialog(action);
              else void run(action);
            }}
          >
            {ACTION_LABELS[action]}
          </Button>
        ))}
      </div>
      {blockedReason ? (
        <p id="actions-blocked" className="field-hint">
          {blockedReason}
        </p>
      ) : null}
      {!dialog ? <ErrorNotice error={error} /> : null}
      <Dialog
        open={!!dialog}
        title={dialog ? `${ACTION_LABELS[dialog]} campaign` : ''}
        description={open?.text}
        onClose={() => {
          setDialog(null);
          setError(null);
        }}
        actions={
          dialog ? (
            <>
              <Button onClick={() => setDialog(null)}>Cancel</Button>
              <Button
                variant={open!.variant}
                busy={pending === dialog}
                disabled={open!.reason === 'required' && !reason.trim()}
                onClick={() => void run(dialog)}
              >
                {ACTION_LABELS[dialog]}
              </Button>
            </>
          ) : null
        }
      >
        {open?.reason ? (
          <Field
            label="Reason"
            required={open.reason === 'required'}
            hint={open.reason === 'optional' ? 'Optional; kept in the history' : undefined}
          >
            <textarea value={reason} onChange={(e) => setReason(e.target.value)} />
          </Field>
        ) : null}
        {dialog === 'APPROVE' ? (
          <label className="checkbox">
            <input type="checkbox" checked={goLive} onChange={(e) => setGoLive(e.target.checked)} />
            Go live now
          </label>
        ) : null}
        {dialog ? <ErrorNotice error={error} /> : null}
      </Dialog>
    </div>
  );
}
