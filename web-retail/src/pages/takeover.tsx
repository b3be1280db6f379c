import { Button, ErrorNotice, Field, useSession } from '@phub/web-kit';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql';
import { can } from '../lib/capabilities';
import { ago } from './status';
import './takeover.css';

/** As the graph limits it (campaign's TAKEOVER_MESSAGE_MAX). */
export const TAKEOVER_MESSAGE_MAX = 200;

const RetailStoreTakeovers = graphql(`
  query RetailStoreTakeovers($storeId: ID!) {
    storeTakeovers(storeId: $storeId, includeEnded: true) {
      id
      active
      message
      reason
      creativeId
      creative {
        id
        name
      }
      createdBy
      createdAt
      liftedBy
      liftedAt
      startedByUser {
        id
        displayName
      }
      liftedByUser {
        id
        displayName
      }
    }
  }
`);

const RetailTakeoverCreatives = graphql(`
  query RetailTakeoverCreatives {
    creatives(first: 100, filter: { status: READY }) {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`);

const RetailStartTakeover = graphql(`
  mutation RetailStartTakeover($input: StartStoreTakeoverInput!) {
    startStoreTakeover(input: $input) {
      id
      active
    }
  }
`);

const RetailLiftTakeover = graphql(`
  mutation RetailLiftTakeover($id: ID!) {
    liftStoreTakeover(id: $id) {
      id
      active
      liftedAt
    }
  }
`);

// An empty list names no type: tell urql which mutations make it stale.
const CONTEXT = { additionalTypenames: ['StoreTakeover'] };
// Another phone may start or lift it: look again now and then while the page is open.
const REFRESH_MS = 15_000;

const when = (iso: string) => new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });

/**
 * "One message or creative on every display of the store, now, until lifted": the active takeover shown
 * prominently with who and when, a Lift button and the history; starting one takes a confirm step. Store staff and
 * HQ viewers see it all but get no controls (campaign allows managers and HQ admins/editors, as for overrides).
 */
export function TakeoverPanel({ storeId }: { storeId: string }) {
  const { viewer } = useSession();
  const mayAct = can(viewer, 'takeoverStore', storeId);
  const context = useMemo(() => CONTEXT, []);
  const [result, reexecute] = useQuery({ query: RetailStoreTakeovers, variables: { storeId }, context });
  const [lifting, lift] = useMutation(RetailLiftTakeover);
  useEffect(() => {
    const timer = setInterval(() => reexecute({ requestPolicy: 'network-only' }), REFRESH_MS);
    return () => clearInterval(timer);
  }, [reexecute]);
  const all = result.data?.storeTakeovers ?? [];
  const active = all.find((t) => t.active) ?? null;
  const history = all.filter((t) => !t.active);
  const who = (user: { displayName: string } | null | undefined, id: string | null | undefined) =>
    user?.displayName ?? (id ? 'someone' : 'unknown');

  return (
    <section
      aria-labelledby="takeover-title"
      className="section takeover-panel"
      data-active={active ? 'true' : 'false'}
    >
      <h2 id="takeover-title">Emergency takeover</h2>
      {result.error && !result.data ? (
        <ErrorNotice error={result.error} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />
      ) : !result.data ? (
        <p className="muted">Loading…</p>
      ) : active ? (
        <div className="takeover-active" role="status" data-takeover-id={active.id}>
          <span className="takeover-badge">Takeover active</span>
          <p>Every display of this store shows only:</p>
          {active.message !== null ? (
            <p className="takeover-message-preview">{active.message}</p>
          ) : (
            <p>
              <strong>{active.creative?.name ?? 'a creative'}</strong>
            </p>
          )}
          <p className="small">
            Started by <strong>{who(active.startedByUser, active.createdBy)}</strong> on {when(active.createdAt)} (
            {ago(active.createdAt)}){active.reason ? ` · ${active.reason}` : ''}
          </p>
          {mayAct ? (
            <Button variant="danger" busy={lifting.fetching} onClick={() => void lift({ id: active.id }, context)}>
              Lift takeover
            </Button>
          ) : null}
          <ErrorNotice error={lifting.error} />
        </div>
      ) : (
        <p className="muted">No takeover: the displays play their own content.</p>
      )}
      {result.data && !active && mayAct ? <StartTakeover storeId={storeId} /> : null}
      {history.length ? (
        <details className="takeover-history">
          <summary>Past takeovers ({history.length})</summary>
          <ol aria-label="Past takeovers">
            {history.map((t) => (
              <li key={t.id} data-takeover-id={t.id}>
                <strong>{t.message ?? t.creative?.name ?? 'A creative'}</strong>
                <p className="small muted">
                  Started by {who(t.startedByUser, t.createdBy)} on {when(t.createdAt)}
                  {t.liftedAt ? ` · lifted by ${who(t.liftedByUser, t.liftedBy)} on ${when(t.liftedAt)}` : ''}
                  {t.reason ? ` · ${t.reason}` : ''}
                </p>
              </li>
            ))}
          </ol>
        </details>
      ) : null}
    </section>
  );
}

function StartTakeover({ storeId }: { storeId: string }) {
  const [kind, setKind] = useState<'message' | 'creative'>('message');
  const [message, setMessage] = useState('');
  const [creativeId, setCreativeId] = useState('');
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [creatives] = useQuery({ query: RetailTakeoverCreatives, pause: kind !== 'creative' });
  const [state, start] = useMutation(RetailStartTakeover);
  const list = creatives.data?.creatives.edges.map((e) => e.node) ?? [];
  const chosen = creativeId || list[0]?.id || '';
  const text = message.trim();
  const ready = kind === 'message' ? text.length > 0 && [...text].length <= TAKEOVER_MESSAGE_MAX : !!chosen;

  const review = (e: FormEvent) => {
    e.preventDefault();
    if (ready) setConfirming(true);
  };
  const confirm = async () => {
    const res = await start(
      {
        input: {
          storeId,
          ...(kind === 'message' ? { message: text } : { creativeId: chosen }),
          reason: reason.trim() || null,
        },
      },
      CONTEXT,
    );
    if (res.data) {
      setConfirming(false);
      setMessage('');
      setReason('');
    }
  };

  if (confirming) {
    return (
      <div className="takeover-confirm stack" role="group" aria-labelledby="takeover-confirm-title">
        <h3 id="takeover-confirm-title">Start the takeover?</h3>
        <p>Every display of this store will show only this, at once, until someone lifts it:</p>
        {kind === 'message' ? (
          <p className="takeover-message-preview">{text}</p>
        ) : (
          <p>
            <strong>{list.find((c) => c.id === chosen)?.name ?? 'The creative'}</strong>
          </p>
        )}
        <ErrorNotice error={state.error} />
        <div className="takeover-actions">
          <Button variant="danger" busy={state.fetching} onClick={() => void confirm()}>
            Start takeover now
          </Button>
          <Button onClick={() => setConfirming(false)} disabled={state.fetching}>
            Cancel
          </Button>
        </div>
      </div>
    );
  }

  return (
    <form className="stack" onSubmit={review}>
      <fieldset className="takeover-kind">
        <legend className="field-label">Show on every display</legend>
        <label>
          <input type="radio" name="takeover-kind" checked={kind === 'message'} onChange={() => setKind('message')} /> A
          message
        </label>
        <label>
          <input type="radio" name="takeover-kind" checked={kind === 'creative'} onChange={() => setKind('creative')} />{' '}
          A creative
        </label>
      </fieldset>
      {kind === 'message' ? (
        <Field
          label="Message"
          hint={`Large text on every screen; no names or phone numbers. ${[...text].length}/${TAKEOVER_MESSAGE_MAX}`}
        >
          <textarea
            value={message}
            onChange={(e) => setMessage(e.target.value)}
            rows={3}
            maxLength={TAKEOVER_MESSAGE_MAX}
          />
        </Field>
      ) : (
        <Field label="Creative">
          <select value={chosen} onChange={(e) => setCreativeId(e.target.value)} disabled={!list.length}>
            {list.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
      )}
      <Field label="Reason" hint="Kept in the history, never shown on the screens">
        <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
      </Field>
      <ErrorNotice error={creatives.error} />
      <Button type="submit" variant="danger" disabled={!ready}>
        Review takeover…
      </Button>
    </form>
  );
}
