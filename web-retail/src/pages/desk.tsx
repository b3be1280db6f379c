import { Button, Empty, ErrorNotice, Field, Loading, useSession } from '@phub/web-kit';
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import { graphql } from '../gql';
import type { RetailQueueQuery } from '../gql/graphql';
import { can } from '../lib/capabilities';
import { applyTicketChange, currentAtDesk, roundWait, sortQueue } from '../lib/queue';
import { timeOfDay } from './status';

const RetailQueue = graphql(`
  query RetailQueue($storeId: ID!) {
    queueLines(storeId: $storeId) {
      id
      name
      prefix
      isOpen
      waiting
      estimatedWaitMinutes
    }
    desks(storeId: $storeId) {
      id
      name
      lineIds
      staffUserId
    }
    tickets(storeId: $storeId) {
      ...DeskTicket
    }
  }
`);

graphql(`
  fragment DeskTicket on Ticket {
    id
    lineId
    deskId
    number
    state
    parked
    queuedAt
    calledAt
    position
    estimatedWaitMinutes
    visitorName
    visitorPhone
    note
    recallCount
  }
`);

const RetailQueueUpdated = graphql(`
  subscription RetailQueueUpdated($storeId: ID!) {
    queueUpdated(storeId: $storeId) {
      action
      at
      ticket {
        ...DeskTicket
      }
    }
  }
`);

const CallNext = graphql(`
  mutation RetailCallNext($lineId: ID!, $deskId: ID) {
    callNext(lineId: $lineId, deskId: $deskId) {
      ...DeskTicket
    }
  }
`);
const CallTicket = graphql(`
  mutation RetailCallTicket($id: ID!, $deskId: ID) {
    callTicket(id: $id, deskId: $deskId) {
      ...DeskTicket
    }
  }
`);
const Recall = graphql(`
  mutation RetailRecall($id: ID!) {
    recallTicket(id: $id) {
      ...DeskTicket
    }
  }
`);
const ReturnToQueue = graphql(`
  mutation RetailReturn($id: ID!) {
    returnTicketToQueue(id: $id) {
      ...DeskTicket
    }
  }
`);
const Transfer = graphql(`
  mutation RetailTransfer($id: ID!, $lineId: ID, $deskId: ID) {
    transferTicket(id: $id, lineId: $lineId, deskId: $deskId) {
      ...DeskTicket
    }
  }
`);
const Park = graphql(`
  mutation RetailPark($id: ID!) {
    parkTicket(id: $id) {
      ...DeskTicket
    }
  }
`);
const Unpark = graphql(`
  mutation RetailUnpark($id: ID!) {
    unparkTicket(id: $id) {
      ...DeskTicket
    }
  }
`);
const NoShow = graphql(`
  mutation RetailNoShow($id: ID!) {
    markTicketNoShow(id: $id) {
      ...DeskTicket
    }
  }
`);
const Served = graphql(`
  mutation RetailServed($id: ID!) {
    markTicketServed(id: $id) {
      ...DeskTicket
    }
  }
`);
const CancelTicket = graphql(`
  mutation RetailCancelTicket($id: ID!) {
    cancelTicket(id: $id) {
      ...DeskTicket
    }
  }
`);
const AddNote = graphql(`
  mutation RetailAddNote($id: ID!, $note: String!) {
    addTicketNote(id: $id, note: $note) {
      ...DeskTicket
    }
  }
`);
const AddTicket = graphql(`
  mutation RetailAddTicket($input: AddTicketInput!) {
    addTicket(input: $input) {
      ...DeskTicket
    }
  }
`);
const CreateLine = graphql(`
  mutation RetailCreateLine($input: CreateLineInput!) {
    createLine(input: $input) {
      id
      name
    }
  }
`);
const CreateDesk = graphql(`
  mutation RetailCreateDesk($input: CreateDeskInput!) {
    createDesk(input: $input) {
      id
      name
    }
  }
`);

type Ticket = RetailQueueQuery['tickets'][number];
type Line = RetailQueueQuery['queueLines'][number];
const QUEUE_CONTEXT = { additionalTypenames: ['Ticket', 'Line', 'Desk'] };

const deskKey = (storeId: string) => `phub.retail.desk.${storeId}`;

/** The visitor's join link for a line (the store prints it as a QR code). */
export function joinLink(lineId: string, base = import.meta.env.BASE_URL, href = window.location.href): string {
  return new URL(`${base}v/join/${lineId}`, href).toString();
}

export function DeskPage({ storeId }: { storeId: string }) {
  const { viewer } = useSession();
  const [result, reexecute] = useQuery({ query: RetailQueue, variables: { storeId }, context: QUEUE_CONTEXT });
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  const [tickets, setTickets] = useState<Ticket[]>([]);
  const [announcement, setAnnouncement] = useState('');
  const [deskId, setDeskId] = useState(() => localStorage.getItem(deskKey(storeId)) ?? '');

  useEffect(() => {
    document.title = 'Queue — Personalisation Hub Store';
  }, []);
  useEffect(() => {
    if (result.data) setTickets(sortQueue(result.data.tickets));
  }, [result.data]);

  useSubscription({ query: RetailQueueUpdated, variables: { storeId } }, (_prev, event) => {
    const { ticket, action } = event.queueUpdated;
    setTickets((list) => applyTicketChange(list, ticket));
    setAnnouncement(`Ticket ${ticket.number}: ${action.toLowerCase().replace(/_/g, ' ')}`);
    // Positions and waiting counts of the others change too: reload them from the platform.
    refresh();
    return event;
  });

  const lines = useMemo(() => result.data?.queueLines ?? [], [result.data]);
  const desks = useMemo(() => result.data?.desks ?? [], [result.data]);
  const desk = desks.find((d) => d.id === deskId) ?? (desks.length === 1 ? desks[0] : undefined);
  const mayServe = can(viewer, 'serveQueue', storeId);
  const mayConfigure = can(viewer, 'configureQueue', storeId);

  const chooseDesk = (id: string) => {
    setDeskId(id);
    localStorage.setItem(deskKey(storeId), id);
  };

  if (result.error && !result.data) return <ErrorNotice error={result.error} onRetry={refresh} />;
  if (!result.data) return <Loading />;

  return (
    <>
      <h1 id="page-title">Queue</h1>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      {lines.length === 0 ? (
        <Empty title="This store has no queue line yet">
          {mayConfigure ? 'Create one below.' : 'A store manager can set one up.'}
        </Empty>
      ) : null}
      {mayServe && lines.length ? (
        <section className="section desk" aria-labelledby="desk-title">
          <div className="section-head">
            <h2 id="desk-title">My desk</h2>
            {desks.length > 1 ? (
              <Field label="Desk" hideLabel>
                <select value={desk?.id ?? ''} onChange={(e) => chooseDesk(e.target.value)}>
                  <option value="">Choose a desk…</option>
                  {desks.map((d) => (
                    <option key={d.id} value={d.id}>
                      {d.name}
                    </option>
                  ))}
                </select>
              </Field>
            ) : null}
          </div>
          {desks.length === 0 ? (
            <p className="muted">
              No desk yet: {mayConfigure ? 'create one below.' : 'ask a store manager to add one.'}
            </p>
          ) : !desk ? (
            <p className="muted">Choose the desk you are at.</p>
          ) : (
            <DeskPanel desk={desk} lines={lines} tickets={tickets} onChanged={refresh} />
          )}
        </section>
      ) : null}
      {lines.map((line) => (
        <LineList
          key={line.id}
          line={line}
          tickets={tickets.filter((t) => t.lineId === line.id)}
          deskId={desk?.id}
          mayServe={mayServe}
        />
      ))}
      {mayServe && lines.length ? <WalkIn lines={lines} /> : null}
      {mayConfigure ? <QueueSetup storeId={storeId} lines={lines} /> : null}
    </>
  );
}

function DeskPanel({
  desk,
  lines,
  tickets,
  onChanged,
}: {
  desk: RetailQueueQuery['desks'][number];
  lines: readonly Line[];
  tickets: readonly Ticket[];
  onChanged: () => void;
}) {
  const deskLines = lines.filter((l) => desk.lineIds.length === 0 || desk.lineIds.includes(l.id));
  const [lineId, setLineId] = useState(deskLines[0]?.id ?? '');
  const current = currentAtDesk(tickets, desk.id);
  const [next, callNext] = useMutation(CallNext);
  const [nothing, setNothing] = useState(false);
  const line = deskLines.find((l) => l.id === lineId) ?? deskLines[0];

  const call = async () => {
    if (!line) return;
    setNothing(false);
    const res = await callNext({ lineId: line.id, deskId: desk.id }, QUEUE_CONTEXT);
    if (res.data && !res.data.callNext) setNothing(true);
    onChanged();
  };

  if (current) return <Serving ticket={current} lines={lines} onChanged={onChanged} />;
  return (
    <div className="stack">
      {deskLines.length > 1 ? (
        <Field label="Call from">
          <select value={line?.id ?? ''} onChange={(e) => setLineId(e.target.value)}>
            {deskLines.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name} ({l.waiting} waiting)
              </option>
            ))}
          </select>
        </Field>
      ) : null}
      <Button variant="primary" className="button--big" busy={next.fetching} onClick={() => void call()}>
        Call next{line ? ` — ${line.name}` : ''}
      </Button>
      {nothing ? (
        <p className="muted" role="status">
          Nobody is waiting in {line?.name}.
        </p>
      ) : null}
      <ErrorNotice error={next.error} />
    </div>
  );
}

function Serving({ ticket, lines, onChanged }: { ticket: Ticket; lines: readonly Line[]; onChanged: () => void }) {
  const [recall, doRecall] = useMutation(Recall);
  const [served, doServed] = useMutation(Served);
  const [noShow, doNoShow] = useMutation(NoShow);
  const [back, doBack] = useMutation(ReturnToQueue);
  const [park, doPark] = useMutation(Park);
  const [transfer, doTransfer] = useMutation(Transfer);
  const [noting, doNote] = useMutation(AddNote);
  const [note, setNote] = useState('');
  const others = lines.filter((l) => l.id !== ticket.lineId);
  const [target, setTarget] = useState(others[0]?.id ?? '');
  const id = ticket.id;
  const run = async (p: Promise<unknown>) => {
    await p;
    onChanged();
  };
  const error =
    recall.error ?? served.error ?? noShow.error ?? back.error ?? park.error ?? transfer.error ?? noting.error;

  const addNote = async (e: FormEvent) => {
    e.preventDefault();
    if (!note.trim()) return;
    const res = await doNote({ id, note: note.trim() }, QUEUE_CONTEXT);
    if (res.data) setNote('');
  };

  return (
    <div className="serving" data-ticket-id={id}>
      <p className="serving-label">Now serving</p>
      <p className="ticket-number" aria-label={`Ticket ${ticket.number}`}>
        {ticket.number}
      </p>
      <p>
        {ticket.visitorName ?? 'No name given'}
        {ticket.visitorPhone ? ` · ${ticket.visitorPhone}` : ''}
        {ticket.calledAt ? ` · called ${timeOfDay(ticket.calledAt)}` : ''}
        {ticket.recallCount ? ` · recalled ${ticket.recallCount}×` : ''}
      </p>
      {ticket.note ? <p className="note">{ticket.note}</p> : null}
      <div className="actions">
        <Button variant="primary" busy={served.fetching} onClick={() => void run(doServed({ id }, QUEUE_CONTEXT))}>
          Served
        </Button>
        <Button busy={recall.fetching} onClick={() => void run(doRecall({ id }, QUEUE_CONTEXT))}>
          Recall
        </Button>
        <Button busy={noShow.fetching} onClick={() => void run(doNoShow({ id }, QUEUE_CONTEXT))}>
          No-show
        </Button>
        <Button busy={park.fetching} onClick={() => void run(doPark({ id }, QUEUE_CONTEXT))}>
          Park
        </Button>
        <Button busy={back.fetching} onClick={() => void run(doBack({ id }, QUEUE_CONTEXT))}>
          Back to line
        </Button>
      </div>
      {others.length ? (
        <div className="inline-form">
          <Field label="Transfer to">
            <select value={target} onChange={(e) => setTarget(e.target.value)}>
              {others.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </select>
          </Field>
          <Button
            busy={transfer.fetching}
            disabled={!target}
            onClick={() => void run(doTransfer({ id, lineId: target }, QUEUE_CONTEXT))}
          >
            Transfer
          </Button>
        </div>
      ) : null}
      <form className="inline-form" onSubmit={(e) => void addNote(e)}>
        <Field label="Note">
          <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} />
        </Field>
        <Button type="submit" busy={noting.fetching} disabled={!note.trim()}>
          Add note
        </Button>
      </form>
      <ErrorNotice error={error} />
    </div>
  );
}

function LineList({
  line,
  tickets,
  deskId,
  mayServe,
}: {
  line: Line;
  tickets: readonly Ticket[];
  deskId?: string;
  mayServe: boolean;
}) {
  const [calling, call] = useMutation(CallTicket);
  const [unparking, unpark] = useMutation(Unpark);
  const [cancelling, cancel] = useMutation(CancelTicket);
  const busy = (s: { fetching: boolean; operation?: { variables: { id?: string | number } } }, id: string) =>
    s.fetching && s.operation?.variables.id === id;
  const wait = roundWait(line.estimatedWaitMinutes);
  const link = joinLink(line.id);
  return (
    <section className="section" aria-labelledby={`line-${line.id}`} data-line-id={line.id}>
      <div className="section-head">
        <h2 id={`line-${line.id}`}>
          {line.name} <span className="count">{line.waiting}</span>
        </h2>
        <span className={`badge badge--${line.isOpen ? 'success' : 'muted'}`}>{line.isOpen ? 'Open' : 'Closed'}</span>
      </div>
      <p className="small muted">
        {line.waiting} waiting{wait && line.waiting ? ` · about ${wait} min` : ''} · visitors join at{' '}
        <a href={link} className="break">
          {link}
        </a>
      </p>
      {tickets.length === 0 ? (
        <p className="muted">Nobody in this line.</p>
      ) : (
        <ul className="tickets" aria-label={`Tickets in ${line.name}`}>
          {tickets.map((t) => (
            <li key={t.id} className={`ticket ticket--${t.state.toLowerCase()}${t.parked ? ' ticket--parked' : ''}`}>
              <span className="ticket-no">{t.number}</span>
              <span className="ticket-who">
                {t.visitorName ?? '—'}
                <span className="small muted">
                  {t.state === 'CALLED' ? ' · called' : t.parked ? ' · parked' : t.position ? ` · #${t.position}` : ''}
                  {` · ${timeOfDay(t.queuedAt)}`}
                </span>
              </span>
              {mayServe ? (
                <span className="ticket-actions">
                  {t.parked ? (
                    <Button busy={busy(unparking, t.id)} onClick={() => void unpark({ id: t.id }, QUEUE_CONTEXT)}>
                      Unpark
                    </Button>
                  ) : null}
                  {t.state === 'NEW' && deskId ? (
                    <Button
                      busy={busy(calling, t.id)}
                      onClick={() => void call({ id: t.id, deskId }, QUEUE_CONTEXT)}
                      aria-label={`Call ${t.number}`}
                    >
                      Call
                    </Button>
                  ) : null}
                  <Button
                    variant="ghost"
                    busy={busy(cancelling, t.id)}
                    onClick={() => void cancel({ id: t.id }, QUEUE_CONTEXT)}
                    aria-label={`Cancel ${t.number}`}
                  >
                    Cancel
                  </Button>
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <ErrorNotice error={calling.error ?? unparking.error ?? cancelling.error} />
    </section>
  );
}

function WalkIn({ lines }: { lines: readonly Line[] }) {
  const [state, add] = useMutation(AddTicket);
  const [lineId, setLineId] = useState(lines[0]!.id);
  const [name, setName] = useState('');
  const [added, setAdded] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const res = await add({ input: { lineId, visitorName: name.trim() || null } }, QUEUE_CONTEXT);
    if (res.data) {
      setAdded(res.data.addTicket.number);
      setName('');
    }
  };
  return (
    <section className="section" aria-labelledby="walkin-title">
      <h2 id="walkin-title">Add a visitor</h2>
      <form className="stack" onSubmit={(e) => void submit(e)}>
        {lines.length > 1 ? (
          <Field label="Line">
            <select value={lineId} onChange={(e) => setLineId(e.target.value)}>
              {lines.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </select>
          </Field>
        ) : null}
        <Field label="Name (optional)">
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />
        </Field>
        <ErrorNotice error={state.error} />
        {added ? (
          <p className="notice notice--success" role="status">
            Ticket {added} added.
          </p>
        ) : null}
        <Button type="submit" busy={state.fetching}>
          Add to the line
        </Button>
      </form>
    </section>
  );
}

function QueueSetup({ storeId, lines }: { storeId: string; lines: readonly Line[] }) {
  const [lineState, createLine] = useMutation(CreateLine);
  const [deskState, createDesk] = useMutation(CreateDesk);
  const [lineName, setLineName] = useState('');
  const [prefix, setPrefix] = useState('A');
  const [deskName, setDeskName] = useState('');
  const addLine = async (e: FormEvent) => {
    e.preventDefault();
    const res = await createLine({ input: { storeId, name: lineName.trim(), prefix: prefix.trim() } }, QUEUE_CONTEXT);
    if (res.data) setLineName('');
  };
  const addDesk = async (e: FormEvent) => {
    e.preventDefault();
    const res = await createDesk(
      { input: { storeId, name: deskName.trim(), lineIds: lines.map((l) => l.id) } },
      QUEUE_CONTEXT,
    );
    if (res.data) setDeskName('');
  };
  return (
    <details className="section setup" open={lines.length === 0}>
      <summary>
        <h2>Set up the queue</h2>
      </summary>
      <form className="stack" onSubmit={(e) => void addLine(e)}>
        <h3>New line</h3>
        <Field label="Line name" required>
          <input value={lineName} onChange={(e) => setLineName(e.target.value)} maxLength={80} required />
        </Field>
        <Field label="Ticket prefix" hint="Tickets are numbered A001, A002…" required>
          <input value={prefix} onChange={(e) => setPrefix(e.target.value)} maxLength={3} required />
        </Field>
        <ErrorNotice error={lineState.error} />
        <Button type="submit" busy={lineState.fetching} disabled={!lineName.trim() || !prefix.trim()}>
          Create line
        </Button>
      </form>
      {lines.length ? (
        <form className="stack" onSubmit={(e) => void addDesk(e)}>
          <h3>New desk</h3>
          <Field label="Desk name" hint="It serves every line" required>
            <input value={deskName} onChange={(e) => setDeskName(e.target.value)} maxLength={80} required />
          </Field>
          <ErrorNotice error={deskState.error} />
          <Button type="submit" busy={deskState.fetching} disabled={!deskName.trim()}>
            Create desk
          </Button>
        </form>
      ) : null}
    </details>
  );
}
