import { Button, ErrorNotice, Field, Loading, useSession } from '@phub/web-kit';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import { graphql } from '../gql';
import type { AppointmentState, CollectOrderState, RetailBookingsQuery } from '../gql/graphql';
import { calendarHours, clockTime, dayCounts } from '../lib/calendar';
import { can } from '../lib/capabilities';
import { addDays, formatDate, storeToday } from '../lib/hours';
import { ago } from './status';

const RetailBookings = graphql(`
  query RetailBookings($storeId: ID!, $day: String!) {
    appointments(storeId: $storeId, day: $day) {
      id
      start
      end
      state
      source
      visitorName
      visitorPhone
      checkedInAt
      line {
        id
        name
      }
    }
  }
`);

const RetailCollectOrders = graphql(`
  query RetailCollectOrders($storeId: ID!) {
    collectOrders(storeId: $storeId, states: [READY, CHECKED_IN]) {
      id
      reference
      state
      customerName
      customerPhone
      createdAt
      checkedInAt
      line {
        id
        name
      }
    }
  }
`);

// Check-ins and hand-overs move tickets: the store's queue events say when to look again.
const RetailBookingsQueueUpdated = graphql(`
  subscription RetailBookingsQueueUpdated($storeId: ID!) {
    queueUpdated(storeId: $storeId) {
      action
      at
    }
  }
`);

const RetailCheckInAppointment = graphql(`
  mutation RetailCheckInAppointment($id: ID!) {
    checkInAppointment(id: $id) {
      ticket {
        id
        number
      }
    }
  }
`);

const RetailCancelAppointment = graphql(`
  mutation RetailCancelAppointment($id: ID!) {
    cancelAppointment(id: $id) {
      id
      state
      cancelledAt
    }
  }
`);

const RetailHandOver = graphql(`
  mutation RetailHandOver($id: ID!) {
    handOverCollectOrder(id: $id) {
      id
      state
      collectedAt
    }
  }
`);

const RetailCancelOrder = graphql(`
  mutation RetailCancelOrder($id: ID!) {
    cancelCollectOrder(id: $id) {
      id
      state
      cancelledAt
    }
  }
`);

const RetailStoreZone = graphql(`
  query RetailStoreZone($id: ID!) {
    store(id: $id) {
      id
      timezone
    }
  }
`);

const STATE_LABEL: Record<AppointmentState, string> = {
  BOOKED: 'Booked',
  CHECKED_IN: 'Checked in',
  CANCELLED: 'Cancelled',
  NO_SHOW: 'No-show',
} as Record<AppointmentState, string>;
const STATE_TONE: Record<string, string> = {
  BOOKED: 'warning',
  CHECKED_IN: 'success',
  CANCELLED: 'muted',
  NO_SHOW: 'danger',
};
const ORDER_LABEL: Record<CollectOrderState, string> = {
  READY: 'Ready',
  CHECKED_IN: 'Customer is here',
  COLLECTED: 'Collected',
  CANCELLED: 'Cancelled',
} as Record<CollectOrderState, string>;

/** Store staff's day: appointments as a calendar on the store's clock, and Click&Collect orders to hand over. */
export function BookingsPage({ storeId }: { storeId: string }) {
  const { viewer } = useSession();
  const mayServe = can(viewer, 'serveQueue', storeId);
  const [day, setDay] = useState<string | null>(null);
  const [result, reexecute] = useQuery({
    query: RetailBookings,
    variables: { storeId, day: day ?? '1970-01-01' },
    pause: day === null,
  });
  // The first day shown is today on the store's clock, once its time zone is known.
  const [zone] = useQuery({ query: RetailStoreZone, variables: { id: storeId } });
  const timezone = zone.data?.store?.timezone;
  useEffect(() => {
    if (day === null && timezone) setDay(storeToday(timezone));
  }, [day, timezone]);
  const [orders, reexecuteOrders] = useQuery({ query: RetailCollectOrders, variables: { storeId } });
  const [announcement, setAnnouncement] = useState('');
  const refresh = useCallback(() => {
    reexecute({ requestPolicy: 'network-only' });
    reexecuteOrders({ requestPolicy: 'network-only' });
  }, [reexecute, reexecuteOrders]);
  useSubscription({ query: RetailBookingsQueueUpdated, variables: { storeId } }, (_prev, event) => {
    refresh();
    return event;
  });
  useEffect(() => {
    document.title = 'Bookings — Personalisation Hub Store';
  }, []);

  const today = timezone ? storeToday(timezone) : null;
  return (
    <>
      <h1 id="page-title">Bookings</h1>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      <section aria-labelledby="appointments-title" className="section">
        <div className="section-head">
          <h2 id="appointments-title">Appointments</h2>
          {day ? (
            <nav aria-label="Day" className="day-nav">
              <Button className="button--small" onClick={() => setDay(addDays(day, -1))} aria-label="Previous day">
                ‹
              </Button>
              <Field label="Day" hideLabel>
                <input type="date" value={day} onChange={(e) => e.target.value && setDay(e.target.value)} />
              </Field>
              <Button className="button--small" onClick={() => setDay(addDays(day, 1))} aria-label="Next day">
                ›
              </Button>
              {today && day !== today ? (
                <Button className="button--small" variant="ghost" onClick={() => setDay(today)}>
                  Today
                </Button>
              ) : null}
            </nav>
          ) : null}
        </div>
        {result.error && !result.data ? (
          <ErrorNotice error={result.error} onRetry={refresh} />
        ) : !result.data || !day || !timezone ? (
          <Loading />
        ) : (
          <AppointmentCalendar
            day={day}
            timezone={timezone}
            appointments={result.data.appointments}
            mayServe={mayServe}
            onDone={(message) => {
              setAnnouncement(message);
              refresh();
            }}
          />
        )}
      </section>
      <section aria-labelledby="collect-title" className="section">
        <h2 id="collect-title">
          Click&amp;Collect {orders.data ? <span className="count">{orders.data.collectOrders.length}</span> : null}
        </h2>
        {orders.error && !orders.data ? (
          <ErrorNotice error={orders.error} onRetry={refresh} />
        ) : !orders.data ? (
          <Loading />
        ) : (
          <CollectOrders
            orders={orders.data.collectOrders}
            mayServe={mayServe}
            onDone={(message) => {
              setAnnouncement(message);
              refresh();
            }}
          />
        )}
      </section>
    </>
  );
}

type Appointment = RetailBookingsQuery['appointments'][number];

function AppointmentCalendar({
  day,
  timezone,
  appointments,
  mayServe,
  onDone,
}: {
  day: string;
  timezone: string;
  appointments: readonly Appointment[];
  mayServe: boolean;
  onDone(message: string): void;
}) {
  const hours = useMemo(() => calendarHours(appointments, timezone), [appointments, timezone]);
  const counts = dayCounts(appointments);
  const [checkInState, checkIn] = useMutation(RetailCheckInAppointment);
  const [cancelState, cancel] = useMutation(RetailCancelAppointment);
  const [issued, setIssued] = useState<{ id: string; number: string } | null>(null);
  return (
    <>
      <p className="muted small">
        {formatDate(day)} · {counts.BOOKED} booked · {counts.CHECKED_IN} checked in
        {counts.NO_SHOW ? ` · ${counts.NO_SHOW} no-show` : ''}
        {counts.CANCELLED ? ` · ${counts.CANCELLED} cancelled` : ''} · times in {timezone}
      </p>
      {hours.length === 0 ? (
        <p className="muted">No appointments on this day.</p>
      ) : (
        <ol className="calendar" aria-label={`Appointments on ${formatDate(day)}`}>
          {hours.map((h) => (
            <li key={h.hour} className="calendar-hour">
              <span className="calendar-time">{h.hour}:00</span>
              {h.slots.length === 0 ? (
                <span className="calendar-empty muted small">Nothing booked</span>
              ) : (
                <ul className="calendar-slots">
                  {h.slots.flatMap((s) =>
                    s.items.map((a) => (
                      <li
                        key={a.id}
                        className={`appointment appointment--${a.state.toLowerCase()}`}
                        data-appointment-id={a.id}
                      >
                        <div className="card-head">
                          <strong>
                            {clockTime(a.start, timezone)}–{clockTime(a.end, timezone)} · {a.visitorName || 'No name'}
                          </strong>
                          <span className={`badge badge--${STATE_TONE[a.state] ?? 'muted'}`}>
                            {STATE_LABEL[a.state] ?? a.state}
                          </span>
                        </div>
                        <p className="muted small">
                          {a.line.name}
                          {a.visitorPhone ? ` · ${a.visitorPhone}` : ''}
                          {a.checkedInAt ? ` · checked in ${ago(a.checkedInAt)}` : ''}
                        </p>
                        {issued?.id === a.id ? (
                          <p className="small" role="status">
                            Ticket <strong>{issued.number}</strong> is in the line.
                          </p>
                        ) : null}
                        {mayServe && a.state === 'BOOKED' ? (
                          <div className="button-row">
                            <Button
                              variant="primary"
                              busy={checkInState.fetching && checkInState.operation?.variables.id === a.id}
                              onClick={async () => {
                                const res = await checkIn({ id: a.id });
                                const ticket = res.data?.checkInAppointment.ticket;
                                if (ticket) {
                                  setIssued({ id: a.id, number: ticket.number });
                                  onDone(`${a.visitorName || 'Appointment'} checked in: ticket ${ticket.number}`);
                                }
                              }}
                            >
                              Check in
                            </Button>
                            <Button
                              variant="ghost"
                              busy={cancelState.fetching && cancelState.operation?.variables.id === a.id}
                              onClick={async () => {
                                if (!window.confirm(`Cancel the appointment at ${clockTime(a.start, timezone)}?`))
                                  return;
                                const res = await cancel({ id: a.id });
                                if (res.data) onDone('Appointment cancelled');
                              }}
                            >
                              Cancel
                            </Button>
                          </div>
                        ) : null}
                      </li>
                    )),
                  )}
                </ul>
              )}
            </li>
          ))}
        </ol>
      )}
      <ErrorNotice error={checkInState.error} />
      <ErrorNotice error={cancelState.error} />
    </>
  );
}

function CollectOrders({
  orders,
  mayServe,
  onDone,
}: {
  orders: readonly {
    id: string;
    reference: string;
    state: CollectOrderState;
    customerName?: string | null;
    customerPhone?: string | null;
    createdAt: string;
    checkedInAt?: string | null;
    line: { name: string };
  }[];
  mayServe: boolean;
  onDone(message: string): void;
}) {
  const [handOverState, handOver] = useMutation(RetailHandOver);
  const [cancelState, cancel] = useMutation(RetailCancelOrder);
  // The customers who are here first, then the oldest orders.
  const sorted = [...orders].sort(
    (a, b) =>
      Number(b.state === 'CHECKED_IN') - Number(a.state === 'CHECKED_IN') || a.createdAt.localeCompare(b.createdAt),
  );
  if (orders.length === 0) return <p className="muted">No orders waiting for pickup.</p>;
  return (
    <>
      <ul className="cards">
        {sorted.map((o) => (
          <li key={o.id} className="card" data-order-id={o.id}>
            <div className="card-head">
              <h3 className="break">{o.reference}</h3>
              <span className={`badge badge--${o.state === 'CHECKED_IN' ? 'success' : 'muted'}`}>
                {ORDER_LABEL[o.state] ?? o.state}
              </span>
            </div>
            <p className="small">
              {o.customerName || 'No name'}
              {o.customerPhone ? ` · ${o.customerPhone}` : ''}
            </p>
            <p className="muted small">
              {o.line.name} · ready {ago(o.createdAt)}
              {o.checkedInAt ? ` · here since ${ago(o.checkedInAt)}` : ''}
            </p>
            {mayServe ? (
              <div className="button-row">
                <Button
                  variant="primary"
                  busy={handOverState.fetching && handOverState.operation?.variables.id === o.id}
                  onClick={async () => {
                    const res = await handOver({ id: o.id });
                    if (res.data) onDone(`Order ${o.reference} handed over`);
                  }}
                >
                  Hand over
                </Button>
                {o.state === 'READY' ? (
                  <Button
                    variant="ghost"
                    busy={cancelState.fetching && cancelState.operation?.variables.id === o.id}
                    onClick={async () => {
                      if (!window.confirm(`Cancel order ${o.reference}? The customer can no longer check in.`)) return;
                      const res = await cancel({ id: o.id });
                      if (res.data) onDone(`Order ${o.reference} cancelled`);
                    }}
                  >
                    Cancel order
                  </Button>
                ) : null}
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      <ErrorNotice error={handOverState.error} />
      <ErrorNotice error={cancelState.error} />
    </>
  );
}
