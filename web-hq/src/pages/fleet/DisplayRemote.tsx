import { useSession } from '@phub/web-kit';
import { useEffect } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import type { DisplayCommandKind } from '../../gql/graphql';
import { Button, ErrorNotice, formatDateTime, useToast } from '../../ui';

const FleetDisplayCommands = graphql(`
  query FleetDisplayCommands($displayId: ID!) {
    displayCommands(displayId: $displayId, first: 5) {
      edges {
        node {
          id
          kind
          state
          issuedAt
          completedAt
          error
          screenshot
        }
      }
    }
  }
`);

const FleetSendDisplayCommand = graphql(`
  mutation FleetSendDisplayCommand($displayId: ID!, $kind: DisplayCommandKind!) {
    sendDisplayCommand(displayId: $displayId, kind: $kind) {
      id
      kind
      state
    }
  }
`);

/** Who may send which command (the graph decides; this only hides what would be refused). */
const LOOKERS = ['HQ_ADMIN', 'HQ_EDITOR', 'STORE_MANAGER', 'STORE_STAFF'] as const;
const CHANGERS = ['HQ_ADMIN', 'HQ_EDITOR', 'STORE_MANAGER'] as const;

const LABELS: Record<DisplayCommandKind, { button: string; sent: string }> = {
  IDENTIFY: { button: 'Identify', sent: 'shows its name for 15 seconds' },
  SCREENSHOT: { button: 'Take a screenshot', sent: 'sends a screenshot' },
  RELOAD: { button: 'Reload', sent: 'reloads' },
  CLEAR_CACHE: { button: 'Clear cache', sent: 'clears its cache and reloads' },
};
const STATE_WORDS = {
  PENDING: 'waiting for the display',
  DONE: 'done',
  FAILED: 'failed',
  EXPIRED: 'not answered in time',
};
const POLL_MS = 2_000;

/**
 * Remote commands for one display (playback's `sendDisplayCommand`): identify it on the shop floor, see what it shows,
 * reload it or clear its cache. The outcome is read back while the display has not answered.
 */
export function DisplayRemote({ displayId, name, timezone }: { displayId: string; name: string; timezone: string }) {
  const { hasRole } = useSession();
  const toast = useToast();
  const [commands, refetch] = useQuery({
    query: FleetDisplayCommands,
    variables: { displayId },
    pause: !hasRole(...LOOKERS),
  });
  const [sending, send] = useMutation(FleetSendDisplayCommand);
  const list = commands.data?.displayCommands.edges.map((e) => e.node) ?? [];
  const waiting = list.some((c) => c.state === 'PENDING');

  useEffect(() => {
    if (!waiting) return;
    const id = setInterval(() => refetch({ requestPolicy: 'network-only' }), POLL_MS);
    return () => clearInterval(id);
  }, [waiting, refetch]);

  if (!hasRole(...LOOKERS)) return null;
  const kinds: DisplayCommandKind[] = hasRole(...CHANGERS)
    ? ['IDENTIFY', 'SCREENSHOT', 'RELOAD', 'CLEAR_CACHE']
    : ['IDENTIFY', 'SCREENSHOT'];
  const shot = list.find((c) => c.kind === 'SCREENSHOT' && c.screenshot);

  const run = async (kind: DisplayCommandKind) => {
    const result = await send({ displayId, kind });
    if (result.error) return;
    toast.info(`${name} ${LABELS[kind].sent} when it hears of it.`);
    refetch({ requestPolicy: 'network-only' });
  };

  return (
    <section className="fleet-remote" aria-labelledby={`remote-${displayId}`}>
      <h4 id={`remote-${displayId}`}>Remote</h4>
      <div className="fleet-remote-actions" role="group" aria-label={`Remote commands for ${name}`}>
        {kinds.map((kind) => (
          <Button key={kind} variant="ghost" disabled={sending.fetching} onClick={() => void run(kind)}>
            {LABELS[kind].button}
          </Button>
        ))}
      </div>
      <ErrorNotice error={sending.error ?? commands.error} />
      {list.length ? (
        <ul className="fleet-remote-log" aria-live="polite">
          {list.map((c) => (
            <li key={c.id} data-command-state={c.state}>
              {LABELS[c.kind].button}: {STATE_WORDS[c.state]}
              {c.error ? ` (${c.error})` : ''} · {formatDateTime(c.completedAt ?? c.issuedAt, timezone)}
            </li>
          ))}
        </ul>
      ) : null}
      {shot?.screenshot ? (
        <figure className="fleet-remote-shot">
          <img
            src={shot.screenshot}
            alt={`What ${name} showed at ${formatDateTime(shot.completedAt ?? shot.issuedAt, timezone)}`}
          />
          <figcaption>Screenshot, {formatDateTime(shot.completedAt ?? shot.issuedAt, timezone)}</figcaption>
        </figure>
      ) : null}
    </section>
  );
}
