import { Button, Empty, ErrorNotice, Field, Loading, useSession } from '@phub/web-kit';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import type { ZoneKind } from '../../gql/graphql';
import { can } from '../../lib/capabilities';
import {
  dayProblem,
  exceptionProblems,
  exceptionsInput,
  formatDate,
  hoursFromWeek,
  storeToday,
  weekFromHours,
  WEEKDAY_LABEL,
  WEEKDAYS,
  type HoursException,
  type Week,
} from '../../lib/hours';
import { parseTags } from '../../lib/tags';

graphql(`
  fragment StoreDataHours on Store {
    address {
      line1
      line2
      city
      postcode
      country
    }
    contact {
      phone
      email
    }
    openingHours {
      day
      opens
      closes
    }
    openingHoursExceptions {
      date
      closed
      opens
      closes
      note
    }
  }
`);

const RetailStoreData = graphql(`
  query RetailStoreData($id: ID!) {
    store(id: $id) {
      id
      name
      code
      timezone
      ...StoreDataHours
      zones {
        id
        name
        kind
      }
      displays {
        id
        name
        placement
        tags
        zone {
          id
        }
      }
    }
  }
`);

const RetailUpdateStore = graphql(`
  mutation RetailUpdateStore($input: UpdateStoreInput!) {
    updateStore(input: $input) {
      id
      ...StoreDataHours
    }
  }
`);

type StoreData = NonNullable<NonNullable<ReturnType<typeof useStoreData>[0]['data']>['store']>;
const useStoreData = (id: string) => useQuery({ query: RetailStoreData, variables: { id } });

/** Store data: contact and address, weekly hours, exceptions, zones and displays. Managers edit; others read. */
export function StoreDataPage({ storeId }: { storeId: string }) {
  const { viewer } = useSession();
  const [result, reexecute] = useStoreData(storeId);
  const store = result.data?.store;
  const mayEdit = can(viewer, 'editStore', storeId);
  useEffect(() => {
    document.title = 'Store data — Personalisation Hub Store';
  }, []);
  return (
    <>
      <h1 id="page-title">Store data</h1>
      {result.error && !result.data ? (
        <ErrorNotice error={result.error} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />
      ) : !store ? (
        <Loading />
      ) : (
        <>
          {!mayEdit ? <p className="muted small">Only a store manager can change these details.</p> : null}
          <ContactSection store={store} mayEdit={mayEdit} />
          <WeekSection store={store} mayEdit={mayEdit} />
          <ExceptionsSection store={store} mayEdit={mayEdit} />
          <ZonesSection store={store} mayEdit={mayEdit} onChange={() => reexecute({ requestPolicy: 'network-only' })} />
          <DisplaysSection store={store} mayEdit={mayEdit} />
        </>
      )}
    </>
  );
}

function Saved({ show }: { show: boolean }) {
  return show ? (
    <p className="small saved" role="status">
      Saved.
    </p>
  ) : null;
}

function ContactSection({ store, mayEdit }: { store: StoreData; mayEdit: boolean }) {
  const [state, update] = useMutation(RetailUpdateStore);
  const [phone, setPhone] = useState(store.contact?.phone ?? '');
  const [email, setEmail] = useState(store.contact?.email ?? '');
  const [line1, setLine1] = useState(store.address?.line1 ?? '');
  const [line2, setLine2] = useState(store.address?.line2 ?? '');
  const [city, setCity] = useState(store.address?.city ?? '');
  const [postcode, setPostcode] = useState(store.address?.postcode ?? '');
  const [country, setCountry] = useState(store.address?.country ?? '');
  const [saved, setSaved] = useState(false);
  const a = store.address;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const hasAddress = line1.trim() && city.trim() && country.trim();
    const res = await update({
      input: {
        id: store.id,
        contact: phone.trim() || email.trim() ? { phone: phone.trim() || null, email: email.trim() || null } : null,
        ...(hasAddress
          ? {
              address: {
                line1: line1.trim(),
                line2: line2.trim() || null,
                city: city.trim(),
                postcode: postcode.trim() || null,
                country: country.trim().toUpperCase(),
              },
            }
          : {}),
      },
    });
    if (res.data) setSaved(true);
  };
  return (
    <section aria-labelledby="contact-title" className="section">
      <h2 id="contact-title">Contact and address</h2>
      <dl className="facts">
        <dt>Phone</dt>
        <dd>{store.contact?.phone ?? <span className="muted">not set</span>}</dd>
        <dt>Email</dt>
        <dd className="break">{store.contact?.email ?? <span className="muted">not set</span>}</dd>
        <dt>Address</dt>
        <dd>
          {a ? (
            [a.line1, a.line2, [a.postcode, a.city].filter(Boolean).join(' '), a.country].filter(Boolean).join(', ')
          ) : (
            <span className="muted">not set</span>
          )}
        </dd>
        <dt>Code · time zone</dt>
        <dd>
          {store.code} · {store.timezone}
        </dd>
      </dl>
      {mayEdit ? (
        <details className="edit-display">
          <summary>Edit contact and address</summary>
          <form className="stack" onSubmit={(e) => void submit(e)}>
            <Field label="Phone" hint="International format, e.g. +44 20 7946 0000">
              <input type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} autoComplete="off" />
            </Field>
            <Field label="Email">
              <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="off" />
            </Field>
            <Field label="Street and number" required>
              <input value={line1} onChange={(e) => setLine1(e.target.value)} maxLength={200} required />
            </Field>
            <Field label="Address line 2">
              <input value={line2} onChange={(e) => setLine2(e.target.value)} maxLength={200} />
            </Field>
            <div className="inline-form inline-form--tight">
              <Field label="Postcode">
                <input value={postcode} onChange={(e) => setPostcode(e.target.value)} maxLength={20} />
              </Field>
              <Field label="City" required>
                <input value={city} onChange={(e) => setCity(e.target.value)} maxLength={100} required />
              </Field>
              <Field label="Country" hint="Two letters, e.g. GB" required>
                <input
                  value={country}
                  onChange={(e) => setCountry(e.target.value)}
                  maxLength={2}
                  pattern="[A-Za-z]{2}"
                  required
                />
              </Field>
            </div>
            <ErrorNotice error={state.error} />
            <Saved show={saved} />
            <Button type="submit" variant="primary" busy={state.fetching}>
              Save contact and address
            </Button>
          </form>
        </details>
      ) : null}
    </section>
  );
}

function WeekSection({ store, mayEdit }: { store: StoreData; mayEdit: boolean }) {
  const [state, update] = useMutation(RetailUpdateStore);
  const current = weekFromHours(store.openingHours);
  const [week, setWeek] = useState<Week>(() => weekFromHours(store.openingHours));
  const [saved, setSaved] = useState(false);
  const [tried, setTried] = useState(false);
  const problems = Object.fromEntries(WEEKDAYS.map((d) => [d, dayProblem(week[d])]));
  const invalid = WEEKDAYS.some((d) => problems[d]);
  const setDay = (day: (typeof WEEKDAYS)[number], windows: Week[typeof day]) => {
    setSaved(false);
    setWeek((w) => ({ ...w, [day]: windows }));
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    setSaved(false);
    if (invalid) return;
    const res = await update({ input: { id: store.id, openingHours: hoursFromWeek(week) } });
    if (res.data) setSaved(true);
  };
  return (
    <section aria-labelledby="week-title" className="section">
      <h2 id="week-title">Opening hours</h2>
      <p className="muted small">Every week, in the store’s own time ({store.timezone}).</p>
      <dl className="week-list">
        {WEEKDAYS.map((d) => (
          <div key={d} className="facts-row">
            <dt>{WEEKDAY_LABEL[d]}</dt>
            <dd>{current[d].length ? current[d].map((w) => `${w.opens}–${w.closes}`).join(', ') : 'Closed'}</dd>
          </div>
        ))}
      </dl>
      {mayEdit ? (
        <details className="edit-display">
          <summary>Edit opening hours</summary>
          <form noValidate onSubmit={(e) => void submit(e)}>
            <ul className="hours">
              {WEEKDAYS.map((d) => (
                <li key={d} className="hours-day" data-day={d}>
                  <div className="hours-head">
                    <strong id={`day-${d}`}>{WEEKDAY_LABEL[d]}</strong>
                    {week[d].length === 0 ? <span className="badge badge--muted">Closed</span> : null}
                  </div>
                  {week[d].map((w, i) => (
                    <div key={i} className="inline-form inline-form--tight hours-window">
                      <Field label={`${WEEKDAY_LABEL[d]} opens${i ? ` (${i + 1})` : ''}`}>
                        <input
                          type="time"
                          value={w.opens}
                          onChange={(e) =>
                            setDay(
                              d,
                              week[d].map((x, j) => (j === i ? { ...x, opens: e.target.value } : x)),
                            )
                          }
                          required
                        />
                      </Field>
                      <Field label={`${WEEKDAY_LABEL[d]} closes${i ? ` (${i + 1})` : ''}`}>
                        <input
                          type="time"
                          value={w.closes}
                          onChange={(e) =>
                            setDay(
                              d,
                              week[d].map((x, j) => (j === i ? { ...x, closes: e.target.value } : x)),
                            )
                          }
                          required
                        />
                      </Field>
                      <Button
                        variant="ghost"
                        onClick={() =>
                          setDay(
                            d,
                            week[d].filter((_, j) => j !== i),
                          )
                        }
                        aria-label={`Remove ${WEEKDAY_LABEL[d]} ${w.opens}–${w.closes}`}
                      >
                        Remove
                      </Button>
                    </div>
                  ))}
                  {(tried || problems[d] === 'Two opening windows overlap.') && problems[d] ? (
                    <p className="field-error">{problems[d]}</p>
                  ) : null}
                  {week[d].length < 3 ? (
                    <Button
                      variant="ghost"
                      className="button--small"
                      onClick={() => {
                        const last = week[d][week[d].length - 1];
                        setDay(d, [
                          ...week[d],
                          last ? { opens: last.closes, closes: '20:00' } : { opens: '09:00', closes: '18:00' },
                        ]);
                      }}
                      aria-describedby={`day-${d}`}
                    >
                      {week[d].length ? 'Add a window' : 'Open this day'}
                    </Button>
                  ) : null}
                </li>
              ))}
            </ul>
            <ErrorNotice error={state.error} />
            <Saved show={saved} />
            <Button type="submit" variant="primary" busy={state.fetching}>
              Save opening hours
            </Button>
          </form>
        </details>
      ) : null}
    </section>
  );
}

function ExceptionsSection({ store, mayEdit }: { store: StoreData; mayEdit: boolean }) {
  const [state, update] = useMutation(RetailUpdateStore);
  const today = storeToday(store.timezone);
  const [rows, setRows] = useState<HoursException[]>(() =>
    store.openingHoursExceptions.map((e) => ({
      date: e.date,
      closed: e.closed,
      opens: e.opens ?? '',
      closes: e.closes ?? '',
      note: e.note ?? '',
    })),
  );
  const [saved, setSaved] = useState(false);
  const [tried, setTried] = useState(false);
  const problems = exceptionProblems(rows);
  const change = (i: number, patch: Partial<HoursException>) => {
    setSaved(false);
    setRows((r) => r.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    setSaved(false);
    if (Object.keys(problems).length) return;
    const res = await update({ input: { id: store.id, openingHoursExceptions: exceptionsInput(rows) } });
    if (res.data) {
      setSaved(true);
      setTried(false);
      setRows((r) => [...r].sort((a, b) => a.date.localeCompare(b.date)));
    }
  };
  const upcoming = store.openingHoursExceptions.filter((e) => e.date >= today);
  return (
    <section aria-labelledby="exceptions-title" className="section">
      <h2 id="exceptions-title">Holidays and special hours</h2>
      <p className="muted small">Days the store is shut or keeps other hours than its week’s.</p>
      {upcoming.length === 0 ? (
        <p className="muted">No special days ahead.</p>
      ) : (
        <ul className="rows">
          {upcoming.map((e) => (
            <li key={e.date} className="row">
              <strong>{formatDate(e.date)}</strong>
              <span>
                {e.closed ? 'Closed' : `${e.opens}–${e.closes}`}
                {e.note ? ` · ${e.note}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
      {mayEdit ? (
        <details className="edit-display">
          <summary>Edit holidays and special hours</summary>
          <form noValidate onSubmit={(e) => void submit(e)}>
            {rows.length === 0 ? <p className="muted">No special days yet.</p> : null}
            <ul className="rows exceptions">
              {rows.map((r, i) => (
                <ExceptionRow
                  key={i}
                  row={r}
                  past={r.date !== '' && r.date < today}
                  problem={tried || problems[i] === 'This date is already in the list.' ? problems[i] : undefined}
                  onChange={(patch) => change(i, patch)}
                  onRemove={() => {
                    setSaved(false);
                    setRows((x) => x.filter((_, j) => j !== i));
                  }}
                />
              ))}
            </ul>
            <div className="button-row">
              <Button
                onClick={() => {
                  setSaved(false);
                  setRows((r) => [...r, { date: '', closed: true, opens: '10:00', closes: '16:00', note: '' }]);
                }}
              >
                Add a day
              </Button>
              <Button type="submit" variant="primary" busy={state.fetching}>
                Save special days
              </Button>
            </div>
            <ErrorNotice error={state.error} />
            <Saved show={saved} />
          </form>
        </details>
      ) : null}
    </section>
  );
}

function ExceptionRow({
  row,
  past,
  problem,
  onChange,
  onRemove,
}: {
  row: HoursException;
  past: boolean;
  problem?: string;
  onChange(patch: Partial<HoursException>): void;
  onRemove(): void;
}) {
  const closedId = useId();
  const what = row.date ? formatDate(row.date) : 'the new day';
  return (
    <li className="exception" data-date={row.date}>
      <div className="inline-form inline-form--tight">
        <Field label="Date" error={problem}>
          <input type="date" value={row.date} onChange={(e) => onChange({ date: e.target.value })} required />
        </Field>
        <Field label="Note" hint={past ? 'In the past' : undefined}>
          <input value={row.note} onChange={(e) => onChange({ note: e.target.value })} maxLength={120} />
        </Field>
      </div>
      <div className="inline-form inline-form--tight">
        <label className="choice" htmlFor={closedId}>
          <input
            id={closedId}
            type="checkbox"
            checked={row.closed}
            onChange={(e) => onChange({ closed: e.target.checked })}
          />
          Closed all day
        </label>
        {!row.closed ? (
          <>
            <Field label={`Opens on ${what}`}>
              <input type="time" value={row.opens} onChange={(e) => onChange({ opens: e.target.value })} required />
            </Field>
            <Field label={`Closes on ${what}`}>
              <input type="time" value={row.closes} onChange={(e) => onChange({ closes: e.target.value })} required />
            </Field>
          </>
        ) : null}
        <Button variant="ghost" onClick={onRemove} aria-label={`Remove ${what}`}>
          Remove
        </Button>
      </div>
    </li>
  );
}

const ZONE_KINDS: { value: ZoneKind; label: string }[] = [
  { value: 'ENTRANCE' as ZoneKind, label: 'Entrance' },
  { value: 'WINDOW' as ZoneKind, label: 'Window' },
  { value: 'AISLE' as ZoneKind, label: 'Aisle' },
  { value: 'COUNTER' as ZoneKind, label: 'Counter' },
  { value: 'QUEUE' as ZoneKind, label: 'Queue' },
  { value: 'OTHER' as ZoneKind, label: 'Other' },
];
const zoneKindLabel = (k: string) => ZONE_KINDS.find((z) => z.value === k)?.label ?? k;

const RetailCreateZone = graphql(`
  mutation RetailCreateZone($input: CreateZoneInput!) {
    createZone(input: $input) {
      id
      name
      kind
    }
  }
`);
const RetailUpdateZone = graphql(`
  mutation RetailUpdateZone($input: UpdateZoneInput!) {
    updateZone(input: $input) {
      id
      name
      kind
    }
  }
`);
const RetailArchiveZone = graphql(`
  mutation RetailArchiveZone($id: ID!) {
    archiveZone(id: $id) {
      id
      archivedAt
    }
  }
`);

function ZonesSection({ store, mayEdit, onChange }: { store: StoreData; mayEdit: boolean; onChange(): void }) {
  const [created, create] = useMutation(RetailCreateZone);
  const [archived, archive] = useMutation(RetailArchiveZone);
  const [name, setName] = useState('');
  const [kind, setKind] = useState<ZoneKind>('OTHER' as ZoneKind);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const res = await create({ input: { storeId: store.id, name: name.trim(), kind } });
    if (res.data) {
      setName('');
      onChange();
    }
  };
  return (
    <section aria-labelledby="zones-title" className="section">
      <h2 id="zones-title">Zones</h2>
      <p className="muted small">Areas of the store that displays and beacons belong to.</p>
      {store.zones.length === 0 ? (
        <p className="muted">No zones yet.</p>
      ) : (
        <ul className="rows">
          {store.zones.map((z) => (
            <li key={z.id} className="row zone" data-zone-id={z.id}>
              {mayEdit ? (
                <ZoneEditor
                  zone={z}
                  onArchive={async () => {
                    const res = await archive({ id: z.id });
                    if (res.data) onChange();
                  }}
                  archiving={archived.fetching && archived.operation?.variables.id === z.id}
                />
              ) : (
                <>
                  <strong>{z.name}</strong>
                  <span className="badge badge--muted">{zoneKindLabel(z.kind)}</span>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      <ErrorNotice error={archived.error} />
      {mayEdit ? (
        <form className="inline-form" onSubmit={(e) => void submit(e)} aria-label="Add a zone">
          <Field label="New zone name">
            <input value={name} onChange={(e) => setName(e.target.value)} maxLength={120} required />
          </Field>
          <Field label="Kind">
            <select value={kind} onChange={(e) => setKind(e.target.value as ZoneKind)}>
              {ZONE_KINDS.map((k) => (
                <option key={k.value} value={k.value}>
                  {k.label}
                </option>
              ))}
            </select>
          </Field>
          <Button type="submit" busy={created.fetching} disabled={!name.trim()}>
            Add zone
          </Button>
          <ErrorNotice error={created.error} />
        </form>
      ) : null}
    </section>
  );
}

function ZoneEditor({
  zone,
  onArchive,
  archiving,
}: {
  zone: { id: string; name: string; kind: ZoneKind };
  onArchive(): Promise<void>;
  archiving: boolean;
}) {
  const [state, update] = useMutation(RetailUpdateZone);
  const [name, setName] = useState(zone.name);
  const [kind, setKind] = useState<ZoneKind>(zone.kind);
  const [saved, setSaved] = useState(false);
  const changed = name.trim() !== zone.name || kind !== zone.kind;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const res = await update({ input: { id: zone.id, name: name.trim(), kind } });
    if (res.data) setSaved(true);
  };
  return (
    <form className="inline-form inline-form--tight zone-form" onSubmit={(e) => void submit(e)}>
      <Field label="Zone name">
        <input value={name} onChange={(e) => setName(e.target.value)} maxLength={120} required />
      </Field>
      <Field label="Kind">
        <select value={kind} onChange={(e) => setKind(e.target.value as ZoneKind)}>
          {ZONE_KINDS.map((k) => (
            <option key={k.value} value={k.value}>
              {k.label}
            </option>
          ))}
        </select>
      </Field>
      <Button type="submit" busy={state.fetching} disabled={!changed || !name.trim()}>
        Save
      </Button>
      <Button variant="ghost" busy={archiving} onClick={() => void onArchive()} aria-label={`Remove zone ${zone.name}`}>
        Remove
      </Button>
      <ErrorNotice error={state.error} />
      <Saved show={saved && !changed} />
    </form>
  );
}

const RetailUpdateDisplay = graphql(`
  mutation RetailUpdateDisplay($input: UpdateDisplayInput!) {
    updateDisplay(input: $input) {
      id
      name
      placement
      tags
      zone {
        id
        name
      }
    }
  }
`);

function DisplaysSection({ store, mayEdit }: { store: StoreData; mayEdit: boolean }) {
  return (
    <section aria-labelledby="store-displays-title" className="section">
      <h2 id="store-displays-title">Displays</h2>
      <p className="muted small">Names, where each hangs, its zone and tags (campaigns can target tags).</p>
      {store.displays.length === 0 ? (
        <Empty title="This store has no displays yet" />
      ) : (
        <ul className="cards">
          {store.displays.map((d) => (
            <li key={d.id} className="card" data-store-display-id={d.id}>
              <h3>{d.name}</h3>
              <p className="muted small">
                {[store.zones.find((z) => z.id === d.zone?.id)?.name, d.placement].filter(Boolean).join(' · ') ||
                  'No placement set'}
              </p>
              {d.tags.length ? (
                <ul className="chips" aria-label={`Tags of ${d.name}`}>
                  {d.tags.map((t) => (
                    <li key={t} className="chip">
                      {t}
                    </li>
                  ))}
                </ul>
              ) : null}
              {mayEdit ? <EditDisplay display={d} zones={store.zones} /> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** A manager renames a display, says where it hangs, puts it in a zone and tags it. */
function EditDisplay({
  display,
  zones,
}: {
  display: { id: string; name: string; placement?: string | null; tags: string[]; zone?: { id: string } | null };
  zones: readonly { id: string; name: string }[];
}) {
  const [state, update] = useMutation(RetailUpdateDisplay);
  const [name, setName] = useState(display.name);
  const [placement, setPlacement] = useState(display.placement ?? '');
  const [tags, setTags] = useState(display.tags.join(', '));
  const [zoneId, setZoneId] = useState(display.zone?.id ?? '');
  const [saved, setSaved] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const res = await update({
      input: {
        id: display.id,
        name: name.trim(),
        placement: placement.trim() || null,
        tags: parseTags(tags),
        // The graph has no "no zone" value for an update: a display keeps its zone unless another is chosen.
        ...(zoneId ? { zoneId } : {}),
      },
    });
    if (res.data) setSaved(true);
  };
  return (
    <details className="edit-display">
      <summary>Edit display</summary>
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <Field label="Name" required>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={120} required />
        </Field>
        <Field label="Placement" hint="Where in the store, e.g. “entrance, left wall”">
          <input value={placement} onChange={(e) => setPlacement(e.target.value)} maxLength={200} />
        </Field>
        <Field label="Zone">
          <select value={zoneId} onChange={(e) => setZoneId(e.target.value)}>
            {!display.zone ? <option value="">No zone</option> : null}
            {zones.map((z) => (
              <option key={z.id} value={z.id}>
                {z.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Tags" hint="Comma separated; campaigns can target them">
          <input value={tags} onChange={(e) => setTags(e.target.value)} />
        </Field>
        <ErrorNotice error={state.error} />
        <Saved show={saved} />
        <Button type="submit" busy={state.fetching} disabled={!name.trim()}>
          Save display
        </Button>
      </form>
    </details>
  );
}
