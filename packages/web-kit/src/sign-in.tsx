import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { CombinedError } from 'urql';
import { Button } from './button';
import { ErrorNotice } from './feedback';
import { Field } from './field';
import { useSession } from './session';

const SIGN_IN_MESSAGES = {
  UNAUTHENTICATED: { title: 'Wrong email or password', hint: 'Check both and try again.' },
  FORBIDDEN: { title: 'This account cannot sign in', hint: 'It may be deactivated. Ask an HQ administrator.' },
};

export interface SignInPageProps {
  /** The app's name beside the brand, e.g. "HQ" or "Store" */
  product: string;
  /** Shown under the form (e.g. the demo users on a demo platform) */
  footer?: ReactNode;
}

/**
 * What the visitor typed into the pre-rendered sign-in page (index.html) before the app started: read once, when
 * the app first renders this page, while that markup is still in the document.
 */
function prerendered(name: 'email' | 'password'): string {
  if (typeof document === 'undefined') return '';
  const input = document.querySelector<HTMLInputElement>(`[data-prerendered] input[name="${name}"]`);
  if (input && document.activeElement === input) focusedBeforeStart = name;
  return input?.value ?? '';
}
let focusedBeforeStart: string | undefined;

/** Email and password; errors by code (a wrong password is UNAUTHENTICATED, a deactivated account FORBIDDEN). */
export function SignInPage({ product, footer }: SignInPageProps) {
  const { signIn, unreachable, retry } = useSession();
  const [email, setEmail] = useState(() => prerendered('email'));
  const [password, setPassword] = useState(() => prerendered('password'));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CombinedError | Error | null>(null);

  useEffect(() => {
    document.title = `Sign in — Personalisation Hub ${product}`;
  }, [product]);

  // The field the visitor was typing in on the pre-rendered page keeps the focus.
  useEffect(() => {
    if (focusedBeforeStart) document.querySelector<HTMLInputElement>(`input[name="${focusedBeforeStart}"]`)?.focus();
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email.trim(), password);
    } catch (err) {
      setError(err as CombinedError | Error);
      setBusy(false);
    }
  };

  if (unreachable) return <Unreachable product={product} retry={retry} />;

  return (
    <main id="main" className="sign-in">
      <div className="sign-in-card">
        <p className="brand">
          <span className="brand-mark" aria-hidden="true">
            ◧
          </span>
          Personalisation Hub <span className="brand-sub">{product}</span>
        </p>
        <h1 id="page-title">Sign in</h1>
        <form onSubmit={(e) => void submit(e)} noValidate aria-describedby={error ? 'sign-in-error' : undefined}>
          <Field label="Email" required>
            <input
              type="email"
              name="email"
              autoComplete="username"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              required
            />
          </Field>
          <Field label="Password" required>
            <input
              type="password"
              name="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
            />
          </Field>
          <div id="sign-in-error">
            <ErrorNotice error={error} messages={SIGN_IN_MESSAGES} />
          </div>
          <Button type="submit" variant="primary" busy={busy} disabled={!email || !password}>
            Sign in
          </Button>
        </form>
        {footer}
      </div>
    </main>
  );
}

/** A reload while the platform is down: the session may well be alive, so say so rather than ask for a password. */
function Unreachable({ product, retry }: { product: string; retry: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    document.title = `Cannot reach the platform — Personalisation Hub ${product}`;
  }, [product]);
  return (
    <main id="main" className="sign-in">
      <div className="sign-in-card" role="alert">
        <p className="brand">
          <span className="brand-mark" aria-hidden="true">
            ◧
          </span>
          Personalisation Hub <span className="brand-sub">{product}</span>
        </p>
        <h1 id="page-title">Cannot reach the platform</h1>
        <p>Your session is kept. This page carries on by itself as soon as the platform answers again.</p>
        <Button
          variant="primary"
          busy={busy}
          onClick={() => {
            setBusy(true);
            void retry().finally(() => setBusy(false));
          }}
        >
          Try again now
        </Button>
      </div>
    </main>
  );
}
