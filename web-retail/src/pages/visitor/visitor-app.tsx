import { errorCode } from '@phub/web-kit';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Link, Route, Routes, useNavigate, useParams } from 'react-router-dom';
import { useMutation, useQuery, useSubscription } from 'urql';
import { graphql } from '../../gql';
import type { VisitorTicketFieldsFragment } from '../../gql/graphql';
import { LOCALES, LocaleContext, pickLocale, translator, useI18n, type Locale, type Translate } from '../../lib/i18n';
import { roundWait } from '../../lib/queue';
import { OfferPage } from './offer-page';
import { forgetTicket, rememberTicket, ticketToken } from './ticket-tokens';

/** The visitor's pages take no token: they are public, and a ticket is read with its own token only. */
const PUBLIC = { skipAuth: true } as const;
const LOCALE_KEY = 'phub.visitor.locale';

export function VisitorApp() {
  const [locale, setLocale] = useState<Locale>(() => {
    const saved = localStorage.getItem(LOCALE_KEY);
    return LOCALES.find((l) => l === saved) ?? pickLocale(navigator.languages ?? [navigator.language]);
  });
  const value = useMemo(
    () => ({
      locale,
      t: translator(locale),
      setLocale: (l: Locale) => {
        localStorage.setItem(LOCALE_KEY, l);
        setLocale(l);
      },
    }),
    [locale],
  );
  useEffect(() => {
    document.documentElement.lang = locale;
    return () => {
      document.documentElement.lang = 'en';
    };
  }, [locale]);
  return (
    <LocaleContext.Provider value={value}>
      <div className="visitor">
        <header className="topbar">
          <span className="brand-mark" aria-hidden="true">
            ◧
          </span>
          <span className="topbar-title">Personalisation Hub</span>
          <LanguageSwitch />
        </header>
        <main id="main" className="content">
          <Routes>
            <Route path="join/:lineId" element={<JoinPage />} />
            <Route path="ticket/:ticketId" element={<TicketPage />} />
            <Route path="offer/:campaignId" element={<OfferPage />} />
            <Route path="*" element={<p>{value.t('join.notFound')}</p>} />
          </Routes>
        </main>
      </div>
    </LocaleContext.Provider>
  );
}

function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  return (
    <label className="lang">
      <span className="visually-hidden">{t('language')}</span>
      <select value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
        <option value="en" lang="en">
          English
        </option>
        <option value="de" lang="de">
          Deutsch
        </option>
      </select>
    </label>
  );
}

const VisitorLine = graphql(`
  query VisitorLine($id: ID!) {
    line(id: $id) {
      id
      name
      isOpen
      waiting
      estimatedWaitMinutes
    }
  }
`);

const VisitorJoin = graphql(`
  mutation VisitorJoin($lineId: ID!, $name: String, $phone: String) {
    joinQueue(lineId: $lineId, name: $name, phone: $phone) {
      token
      ticket {
        id
        number
      }
    }
  }
`);

function errorText(t: Translate, error: Parameters<typeof errorCode>[0]): string {
  const code = errorCode(error);
  if (code === 'RATE_LIMITED') return t('error.rateLimited');
  if (code === 'BAD_USER_INPUT') return t('error.badInput');
  return t('error.generic');
}

function JoinPage() {
  const { lineId = '' } = useParams();
  const { t } = useI18n();
  const navigate = useNavigate();
  const [line] = useQuery({ query: VisitorLine, variables: { id: lineId }, context: useMemo(() => PUBLIC, []) });
  const [joining, join] = useMutation(VisitorJoin);
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  useEffect(() => {
    document.title = `${t('join.title')} — ${line.data?.line.name ?? ''}`;
  }, [t, line.data]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const res = await join({ lineId, name: name.trim() || null, phone: phone.trim() || null }, PUBLIC);
    const joined = res.data?.joinQueue;
    if (!joined) return;
    rememberTicket(localStorage, joined.ticket.id, joined.token);
    navigate(`/v/ticket/${joined.ticket.id}`);
  };

  if (line.error && !line.data) {
    return (
      <>
        <h1 id="page-title">{t('join.title')}</h1>
        <p role="alert">{errorCode(line.error) === 'NOT_FOUND' ? t('join.notFound') : t('error.generic')}</p>
      </>
    );
  }
  const l = line.data?.line;
  const wait = roundWait(l?.estimatedWaitMinutes);
  return (
    <>
      <h1 id="page-title">{l ? l.name : t('join.title')}</h1>
      <p>{t('join.lead')}</p>
      {l ? <p className="big-stat">{t('join.waiting', { n: l.waiting, m: wait ?? 1 })}</p> : null}
      {l && !l.isOpen ? (
        <p className="notice notice--warning" role="status">
          {t('join.closed')}
        </p>
      ) : (
        <form className="stack" onSubmit={(e) => void submit(e)}>
          <div className="field">
            <label className="field-label" htmlFor="visitor-name">
              {t('join.name')}
            </label>
            <input
              id="visitor-name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              autoComplete="given-name"
              maxLength={100}
            />
          </div>
          <div className="field">
            <label className="field-label" htmlFor="visitor-phone">
              {t('join.phone')}
            </label>
            <input
              id="visitor-phone"
              type="tel"
              value={phone}
              onChange={(e) => setPhone(e.target.value)}
              autoComplete="tel"
              inputMode="tel"
              maxLength={20}
            />
          </div>
          {joining.error ? (
            <p className="notice notice--error" role="alert">
              {errorText(t, joining.error)}
            </p>
          ) : null}
          <button type="submit" className="button button--primary button--big" disabled={joining.fetching || !l}>
            {t('join.submit')}
          </button>
        </form>
      )}
    </>
  );
}

const VisitorTicket = graphql(`
  query VisitorTicket($token: String!) {
    myTicket(token: $token) {
      ...VisitorTicketFields
    }
  }
`);

graphql(`
  fragment VisitorTicketFields on Ticket {
    id
    lineId
    number
    state
    parked
    position
    estimatedWaitMinutes
    line {
      id
      name
    }
  }
`);

const VisitorTicketUpdated = graphql(`
  subscription VisitorTicketUpdated($token: String!) {
    ticketUpdated(token: $token) {
      ...VisitorTicketFields
    }
  }
`);

const VisitorCancel = graphql(`
  mutation VisitorCancel($token: String!) {
    cancelMyTicket(token: $token) {
      ...VisitorTicketFields
    }
  }
`);

function TicketPage() {
  const { ticketId = '' } = useParams();
  const token = ticketToken(localStorage, ticketId);
  const { t } = useI18n();
  if (!token) {
    return (
      <>
        <h1 id="page-title">{t('ticket.title')}</h1>
        <p role="alert">{t('ticket.lost')}</p>
      </>
    );
  }
  return <LiveTicket ticketId={ticketId} token={token} />;
}

function LiveTicket({ ticketId, token }: { ticketId: string; token: string }) {
  const { t } = useI18n();
  const [result] = useQuery({ query: VisitorTicket, variables: { token }, context: useMemo(() => PUBLIC, []) });
  const [live, setLive] = useState<VisitorTicketFieldsFragment | null>(null);
  const [sub] = useSubscription(
    { query: VisitorTicketUpdated, variables: { token }, context: useMemo(() => PUBLIC, []) },
    (_prev, event) => {
      setLive(event.ticketUpdated);
      return event;
    },
  );
  const [cancelling, cancel] = useMutation(VisitorCancel);
  const ticket = live ?? result.data?.myTicket;
  const called = ticket?.state === 'CALLED';

  useEffect(() => {
    document.title = ticket ? `${ticket.number} — ${t('ticket.title')}` : t('ticket.title');
  }, [ticket, t]);
  useEffect(() => {
    // A buzz on the phone when it is the visitor's turn (where the browser allows it).
    if (called) navigator.vibrate?.([300, 150, 300]);
  }, [called]);

  if (result.error && !ticket) {
    if (errorCode(result.error) === 'NOT_FOUND' || errorCode(result.error) === 'UNAUTHENTICATED') {
      forgetTicket(localStorage, ticketId);
    }
    return (
      <>
        <h1 id="page-title">{t('ticket.title')}</h1>
        <p role="alert">{t('ticket.lost')}</p>
      </>
    );
  }
  if (!ticket) return <p role="status">…</p>;
  const wait = roundWait(ticket.estimatedWaitMinutes);
  const finished = !['NEW', 'CALLED'].includes(ticket.state);
  const onCancel = async () => {
    if (!window.confirm(t('ticket.confirmCancel'))) return;
    await cancel({ token }, PUBLIC);
  };
  return (
    <>
      <h1 id="page-title">{t('ticket.title')}</h1>
      <p className="muted">{ticket.line.name}</p>
      <div className={`ticket-card${called ? ' ticket-card--called' : ''}`}>
        <p className="small">{t('ticket.number')}</p>
        <p className="ticket-number" data-testid="ticket-number">
          {ticket.number}
        </p>
        <div role="status" aria-live="assertive" className="ticket-state">
          {called ? <p className="your-turn">{t('ticket.yourTurn')}</p> : null}
          {ticket.state === 'SERVED' ? <p>{t('ticket.served')}</p> : null}
          {ticket.state === 'NO_SHOW' ? <p>{t('ticket.noShow')}</p> : null}
          {ticket.state === 'CANCELLED' || ticket.state === 'CANCELLED_BY_CLERK' ? (
            <p>{t('ticket.cancelled')}</p>
          ) : null}
        </div>
        {ticket.state === 'NEW' ? (
          <dl className="ticket-facts">
            <div>
              <dt>{t('ticket.position')}</dt>
              <dd data-testid="ticket-position">{ticket.position ?? '—'}</dd>
            </div>
            <div>
              <dt>{t('ticket.wait')}</dt>
              <dd>{wait ? t('ticket.minutes', { m: wait }) : '—'}</dd>
            </div>
          </dl>
        ) : null}
      </div>
      <p className="small muted" aria-live="polite">
        {sub.error ? t('ticket.offline') : t('ticket.live')}
      </p>
      {cancelling.error ? (
        <p className="notice notice--error" role="alert">
          {errorText(t, cancelling.error)}
        </p>
      ) : null}
      {!finished ? (
        <button
          type="button"
          className="button button--secondary"
          disabled={cancelling.fetching}
          onClick={() => void onCancel()}
        >
          {t('ticket.cancel')}
        </button>
      ) : (
        <Link className="button button--secondary" to={`/v/join/${ticket.lineId}`}>
          {t('ticket.again')}
        </Link>
      )}
    </>
  );
}
