import { errorCode, GraphQLProvider, PUBLIC_CONTEXT, TokenStore } from '@phub/web-kit';
import {
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type FormEvent,
  type ReactNode,
} from 'react';
import { useClient, useMutation, useQuery, type CombinedError } from 'urql';
import { graphql } from '../../gql';
import type { KioskTicketFieldsFragment } from '../../gql/graphql';
import { LOCALES, LocaleContext, pickLocale, translator, useI18n, type Locale } from '../../lib/i18n';
import { kioskErrorKey, kioskSettings, looksLikeCheckInCode, normaliseCheckInCode } from '../../lib/kiosk';
import { roundWait } from '../../lib/queue';
import { useIdle } from './use-idle';
import './kiosk.css';

/**
 * The kiosk's device credential (role KIOSK), kept across reloads and restarts of the tablet's browser: a kiosk is
 * paired once, like a display player. Apart from the staff session; the graph client refreshes it, and a refused
 * refresh (revoked credential) clears it, which brings the pairing screen back.
 */
const kioskTokens = new TokenStore(typeof localStorage === 'undefined' ? null : localStorage, 'phub.retail.kiosk');

export function KioskApp() {
  const settings = useMemo(() => kioskSettings(window.location.search), []);
  // The tablet's own language (or ?lang=de); each visitor may switch, and the next one starts from it again.
  const home = useMemo<Locale>(() => {
    const asked = new URLSearchParams(window.location.search).get('lang');
    return LOCALES.find((l) => l === asked) ?? pickLocale(navigator.languages ?? [navigator.language]);
  }, []);
  const [locale, setLocale] = useState<Locale>(home);
  const i18n = useMemo(() => ({ locale, t: translator(locale), setLocale }), [locale]);
  const paired = useSyncExternalStore(kioskTokens.subscribe, () => kioskTokens.get() !== null);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  return (
    <GraphQLProvider store={kioskTokens}>
      <LocaleContext.Provider value={i18n}>
        <div className="kiosk">
          <header className="kiosk-bar">
            <span className="brand-mark" aria-hidden="true">
              ◧
            </span>
            <span className="kiosk-bar-title">Personalisation Hub</span>
            <KioskLanguages />
          </header>
          <main id="main" className="kiosk-main">
            {paired ? (
              <KioskFlows idleMs={settings.idleSeconds * 1000} doneSeconds={settings.doneSeconds} home={home} />
            ) : (
              <KioskPairing />
            )}
          </main>
        </div>
      </LocaleContext.Provider>
    </GraphQLProvider>
  );
}

/** Big language buttons rather than a select: one touch, and each names itself in its own language. */
function KioskLanguages() {
  const { locale, setLocale, t } = useI18n();
  const names: Record<Locale, string> = { en: 'English', de: 'Deutsch' };
  return (
    <div className="kiosk-langs" role="group" aria-label={t('language')}>
      {LOCALES.map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          className="kiosk-lang"
          aria-pressed={l === locale}
          onClick={() => setLocale(l)}
        >
          {names[l]}
        </button>
      ))}
    </div>
  );
}

// --- pairing ---

const KioskRequestCode = graphql(`
  mutation KioskRequestPairingCode {
    requestPairingCode {
      code
      secret
      expiresAt
      pollIntervalSeconds
    }
  }
`);

const KioskPoll = graphql(`
  mutation KioskPollPairing($code: String!, $secret: String!) {
    pollPairing(code: $code, secret: $secret) {
      status
      credential {
        accessToken
        refreshToken
        expiresAt
      }
    }
  }
`);

/** Shows a pairing code until a store manager claims it as a kiosk; then keeps the credential it polls for. */
function KioskPairing() {
  const { t } = useI18n();
  const client = useClient();
  const [code, setCode] = useState<string | null>(null);
  const [trouble, setTrouble] = useState(false);
  useEffect(() => {
    document.title = `${t('kiosk.pair.title')} — Personalisation Hub`;
  }, [t]);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const wait = (ms: number) => new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
    const run = async () => {
      while (!stopped) {
        const requested = await client.mutation(KioskRequestCode, {}, PUBLIC_CONTEXT).toPromise();
        const request = requested.data?.requestPairingCode;
        if (!request) {
          setTrouble(true);
          await wait(5_000);
          continue;
        }
        setTrouble(false);
        setCode(request.code);
        // Poll until the code is claimed (credential), expires (new code) or the page goes.
        while (!stopped) {
          await wait(request.pollIntervalSeconds * 1000);
          if (stopped) return;
          const polled = await client
            .mutation(KioskPoll, { code: request.code, secret: request.secret }, PUBLIC_CONTEXT)
            .toPromise();
          const poll = polled.data?.pollPairing;
          setTrouble(!poll);
          if (poll?.status === 'COMPLETED' && poll.credential) {
            kioskTokens.start(poll.credential);
            return;
          }
          // Expired, or refused (a secret the platform no longer knows): start again with a new code.
          if (poll?.status === 'EXPIRED' || polled.error?.graphQLErrors.length) break;
        }
      }
    };
    void run();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [client]);
  return (
    <section className="kiosk-screen kiosk-center" aria-labelledby="page-title">
      <h1 id="page-title">{t('kiosk.pair.title')}</h1>
      <p className="kiosk-lead">{t('kiosk.pair.lead')}</p>
      <p className="kiosk-small">{t('kiosk.pair.code')}</p>
      <p className="kiosk-code" data-testid="kiosk-pairing-code" aria-live="polite">
        {code ?? '……'}
      </p>
      <p className="kiosk-small" role="status">
        {trouble ? t('error.generic') : t('kiosk.pair.waiting')}
      </p>
    </section>
  );
}

// --- the visitor's flows ---

const KioskViewer = graphql(`
  query KioskViewer {
    viewer {
      storeIds
      displayId
    }
  }
`);

const KioskLines = graphql(`
  query KioskLines($storeId: ID!) {
    queueLines(storeId: $storeId) {
      id
      name
      kind
      isOpen
      waiting
      estimatedWaitMinutes
    }
  }
`);

graphql(`
  fragment KioskTicketFields on Ticket {
    id
    number
    position
    estimatedWaitMinutes
    smsConsent
    line {
      id
      name
    }
  }
`);

const KioskTake = graphql(`
  mutation KioskTakeTicket($lineId: ID!, $name: String, $phone: String, $smsConsent: Boolean) {
    kioskTakeTicket(lineId: $lineId, name: $name, phone: $phone, smsConsent: $smsConsent) {
      ticket {
        ...KioskTicketFields
      }
    }
  }
`);

const KioskCheckIn = graphql(`
  mutation KioskCheckIn($code: String!) {
    checkIn(code: $code) {
      ticket {
        ...KioskTicketFields
      }
    }
  }
`);

interface KioskLine {
  id: string;
  name: string;
}

interface Details {
  name: string;
  phone: string;
}

type Screen =
  | { name: 'start' }
  | { name: 'lines' }
  | { name: 'details'; line: KioskLine }
  | { name: 'consent'; line: KioskLine; details: Details }
  | { name: 'checkin' }
  | { name: 'done'; kind: 'ticket' | 'checkin'; ticket: KioskTicketFieldsFragment };

/**
 * Start → take a ticket (line → name and phone → SMS consent when a phone was given) or check in by code →
 * the number, big. Back to the start after each completed flow and after `idleMs` without a touch; what the
 * visitor typed goes with it (each visit is a fresh tree).
 */
function KioskFlows({ idleMs, doneSeconds, home }: { idleMs: number; doneSeconds: number; home: Locale }) {
  const { t, locale, setLocale } = useI18n();
  const [screen, setScreen] = useState<Screen>({ name: 'start' });
  const [visit, setVisit] = useState(0);
  const [viewer] = useQuery({ query: KioskViewer });
  const storeId = viewer.data?.viewer.storeIds[0];

  const reset = useCallback(() => {
    setScreen({ name: 'start' });
    setVisit((v) => v + 1);
    setLocale(home);
    // Nothing the last visitor did stays focused or scrolled.
    (document.activeElement as HTMLElement | null)?.blur?.();
    window.scrollTo(0, 0);
  }, [home, setLocale]);
  useIdle(idleMs, screen.name !== 'done' && (screen.name !== 'start' || locale !== home), reset);

  useEffect(() => {
    document.title = `${t('kiosk.welcome')} — Personalisation Hub`;
  }, [t]);
  // The new screen's heading takes focus, so screen readers announce each step.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById('page-title')?.focus();
  }, [screen.name, visit]);

  return (
    <div key={visit} className="kiosk-screen" data-kiosk-screen={screen.name}>
      {screen.name === 'start' ? (
        <Start onTicket={() => setScreen({ name: 'lines' })} onCheckIn={() => setScreen({ name: 'checkin' })} />
      ) : screen.name === 'lines' ? (
        <Lines storeId={storeId} onPick={(line) => setScreen({ name: 'details', line })} onBack={reset} />
      ) : screen.name === 'details' ? (
        <DetailsStep
          line={screen.line}
          onConsent={(details) => setScreen({ name: 'consent', line: screen.line, details })}
          onDone={(ticket) => setScreen({ name: 'done', kind: 'ticket', ticket })}
          onBack={() => setScreen({ name: 'lines' })}
        />
      ) : screen.name === 'consent' ? (
        <ConsentStep
          line={screen.line}
          details={screen.details}
          onDone={(ticket) => setScreen({ name: 'done', kind: 'ticket', ticket })}
          onBack={() => setScreen({ name: 'details', line: screen.line })}
        />
      ) : screen.name === 'checkin' ? (
        <CheckInStep onDone={(ticket) => setScreen({ name: 'done', kind: 'checkin', ticket })} onBack={reset} />
      ) : (
        <Done kind={screen.kind} ticket={screen.ticket} seconds={doneSeconds} onFinish={reset} />
      )}
    </div>
  );
}

function Heading({ children }: { children: ReactNode }) {
  return (
    <h1 id="page-title" tabIndex={-1}>
      {children}
    </h1>
  );
}

function Start({ onTicket, onCheckIn }: { onTicket(): void; onCheckIn(): void }) {
  const { t } = useI18n();
  return (
    <>
      <Heading>{t('kiosk.welcome')}</Heading>
      <p className="kiosk-lead">{t('kiosk.welcome.lead')}</p>
      <div className="kiosk-choices">
        <button type="button" className="kiosk-choice kiosk-choice--primary" onClick={onTicket}>
          <span className="kiosk-choice-title">{t('kiosk.start.ticket')}</span>
          <span className="kiosk-choice-hint">{t('kiosk.start.ticketHint')}</span>
        </button>
        <button type="button" className="kiosk-choice" onClick={onCheckIn}>
          <span className="kiosk-choice-title">{t('kiosk.start.checkin')}</span>
          <span className="kiosk-choice-hint">{t('kiosk.start.checkinHint')}</span>
        </button>
      </div>
    </>
  );
}

function Lines({
  storeId,
  onPick,
  onBack,
}: {
  storeId: string | undefined;
  onPick(line: KioskLine): void;
  onBack(): void;
}) {
  const { t } = useI18n();
  // Fresh counts each time a visitor opens the list.
  const [result] = useQuery({
    query: KioskLines,
    variables: { storeId: storeId ?? '' },
    pause: !storeId,
    requestPolicy: 'network-only',
  });
  const lines = (result.data?.queueLines ?? []).filter((l) => l.kind === 'WALK_IN');
  return (
    <>
      <Heading>{t('kiosk.line.title')}</Heading>
      {result.error && !result.data ? (
        <p className="kiosk-error" role="alert">
          {t('error.generic')}
        </p>
      ) : !result.data ? (
        <p role="status">…</p>
      ) : lines.length === 0 ? (
        <p className="kiosk-lead">{t('kiosk.line.none')}</p>
      ) : (
        <ul className="kiosk-lines" aria-label={t('kiosk.line.title')}>
          {lines.map((l) => (
            <li key={l.id}>
              <button
                type="button"
                className="kiosk-choice"
                disabled={!l.isOpen}
                data-line-id={l.id}
                onClick={() => onPick({ id: l.id, name: l.name })}
              >
                <span className="kiosk-choice-title">{l.name}</span>
                <span className="kiosk-choice-hint">
                  {l.isOpen
                    ? t('kiosk.line.waiting', { n: l.waiting, m: roundWait(l.estimatedWaitMinutes) ?? 1 })
                    : t('kiosk.line.closed')}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="kiosk-actions">
        <button type="button" className="kiosk-button" onClick={onBack}>
          {t('kiosk.back')}
        </button>
      </div>
    </>
  );
}

function KioskError({ error }: { error: CombinedError | undefined }) {
  const { t } = useI18n();
  if (!error) return null;
  const reason = error.graphQLErrors[0]?.extensions?.reason;
  return (
    <p className="kiosk-error" role="alert">
      {t(kioskErrorKey(errorCode(error), typeof reason === 'string' ? reason : undefined))}
    </p>
  );
}

function DetailsStep({
  line,
  onConsent,
  onDone,
  onBack,
}: {
  line: KioskLine;
  onConsent(details: Details): void;
  onDone(ticket: KioskTicketFieldsFragment): void;
  onBack(): void;
}) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [taking, take] = useMutation(KioskTake);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // With a number the visitor is asked about SMS first; without one the ticket is taken now.
    if (phone.trim()) {
      onConsent({ name: name.trim(), phone: phone.trim() });
      return;
    }
    const res = await take({ lineId: line.id, name: name.trim() || null, phone: null, smsConsent: false });
    if (res.data) onDone(res.data.kioskTakeTicket.ticket);
  };
  return (
    <form className="kiosk-form" onSubmit={(e) => void submit(e)}>
      <Heading>{t('kiosk.details.title')}</Heading>
      <p className="kiosk-lead">
        <strong>{line.name}</strong> · {t('kiosk.details.lead')}
      </p>
      <div className="field">
        <label className="field-label" htmlFor="kiosk-name">
          {t('kiosk.details.name')}
        </label>
        <input
          id="kiosk-name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          autoComplete="off"
          maxLength={100}
        />
      </div>
      <div className="field">
        <label className="field-label" htmlFor="kiosk-phone">
          {t('kiosk.details.phone')}
        </label>
        <input
          id="kiosk-phone"
          type="tel"
          inputMode="tel"
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
          autoComplete="off"
          maxLength={20}
          aria-describedby="kiosk-phone-hint"
        />
        <p id="kiosk-phone-hint" className="field-hint">
          {t('kiosk.details.phoneHint')}
        </p>
      </div>
      <KioskError error={taking.error} />
      <div className="kiosk-actions">
        <button type="button" className="kiosk-button" onClick={onBack}>
          {t('kiosk.back')}
        </button>
        <button type="submit" className="kiosk-button kiosk-button--primary" disabled={taking.fetching}>
          {phone.trim() ? t('kiosk.next') : t('kiosk.take.submit')}
        </button>
      </div>
    </form>
  );
}

/** The explicit SMS step: nothing is sent to the number unless the visitor says yes here. */
function ConsentStep({
  line,
  details,
  onDone,
  onBack,
}: {
  line: KioskLine;
  details: Details;
  onDone(ticket: KioskTicketFieldsFragment): void;
  onBack(): void;
}) {
  const { t } = useI18n();
  const [taking, take] = useMutation(KioskTake);
  const choose = async (smsConsent: boolean) => {
    const res = await take({ lineId: line.id, name: details.name || null, phone: details.phone, smsConsent });
    if (res.data) onDone(res.data.kioskTakeTicket.ticket);
  };
  return (
    <>
      <Heading>{t('kiosk.consent.title')}</Heading>
      <p className="kiosk-lead">{t('kiosk.consent.lead', { phone: details.phone })}</p>
      <KioskError error={taking.error} />
      <div className="kiosk-choices">
        <button
          type="button"
          className="kiosk-choice kiosk-choice--primary"
          disabled={taking.fetching}
          onClick={() => void choose(true)}
        >
          <span className="kiosk-choice-title">{t('kiosk.consent.yes')}</span>
        </button>
        <button type="button" className="kiosk-choice" disabled={taking.fetching} onClick={() => void choose(false)}>
          <span className="kiosk-choice-title">{t('kiosk.consent.no')}</span>
        </button>
      </div>
      <div className="kiosk-actions">
        <button type="button" className="kiosk-button" onClick={onBack}>
          {t('kiosk.back')}
        </button>
      </div>
    </>
  );
}

function CheckInStep({ onDone, onBack }: { onDone(ticket: KioskTicketFieldsFragment): void; onBack(): void }) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [checking, checkIn] = useMutation(KioskCheckIn);
  const normalised = normaliseCheckInCode(code);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const res = await checkIn({ code: normalised });
    if (res.data) onDone(res.data.checkIn.ticket);
  };
  return (
    <form className="kiosk-form" onSubmit={(e) => void submit(e)}>
      <Heading>{t('kiosk.checkin.title')}</Heading>
      <p className="kiosk-lead">{t('kiosk.checkin.lead')}</p>
      <div className="field">
        <label className="field-label" htmlFor="kiosk-code">
          {t('kiosk.checkin.code')}
        </label>
        <input
          id="kiosk-code"
          className="kiosk-code-input"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={64}
          aria-describedby="kiosk-code-hint"
        />
        <p id="kiosk-code-hint" className="field-hint">
          {t('kiosk.checkin.hint')}
        </p>
      </div>
      <KioskError error={checking.error} />
      <div className="kiosk-actions">
        <button type="button" className="kiosk-button" onClick={onBack}>
          {t('kiosk.back')}
        </button>
        <button
          type="submit"
          className="kiosk-button kiosk-button--primary"
          disabled={checking.fetching || !looksLikeCheckInCode(normalised)}
        >
          {t('kiosk.checkin.submit')}
        </button>
      </div>
    </form>
  );
}

/** The number, big, and a visible countdown back to the start (the next visitor should not see it). */
function Done({
  kind,
  ticket,
  seconds,
  onFinish,
}: {
  kind: 'ticket' | 'checkin';
  ticket: KioskTicketFieldsFragment;
  seconds: number;
  onFinish(): void;
}) {
  const { t } = useI18n();
  const [left, setLeft] = useState(seconds);
  useEffect(() => {
    const started = Date.now();
    const timer = setInterval(() => {
      const remaining = seconds - Math.floor((Date.now() - started) / 1000);
      setLeft(remaining);
      if (remaining <= 0) onFinish();
    }, 250);
    return () => clearInterval(timer);
  }, [seconds, onFinish]);
  const wait = roundWait(ticket.estimatedWaitMinutes);
  const before = ticket.position != null ? Math.max(ticket.position - 1, 0) : null;
  return (
    <div className="kiosk-center">
      <Heading>{kind === 'checkin' ? t('kiosk.done.checkedIn') : t('kiosk.done.ticket')}</Heading>
      <div className="kiosk-ticket">
        <p className="kiosk-small">
          {t('kiosk.done.number')} · {ticket.line.name}
        </p>
        <p className="kiosk-number" data-testid="kiosk-ticket-number">
          {ticket.number}
        </p>
        {before != null ? <p className="kiosk-lead">{t('kiosk.done.wait', { n: before, m: wait ?? 1 })}</p> : null}
        <p className="kiosk-lead">{ticket.smsConsent ? t('kiosk.done.sms') : t('kiosk.done.watch')}</p>
      </div>
      <p className="kiosk-small" aria-live="off">
        {t('kiosk.done.reset', { s: Math.max(left, 0) })}
      </p>
      <div className="kiosk-actions kiosk-actions--center">
        <button type="button" className="kiosk-button kiosk-button--primary" onClick={onFinish}>
          {t('kiosk.done.finish')}
        </button>
      </div>
    </div>
  );
}
