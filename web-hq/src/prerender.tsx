import { renderToString } from 'react-dom/server';
import { SignedOutSession, SignInPage } from '@phub/web-kit';

/**
 * The sign-in page as HTML, put into index.html at build time (vite.config.ts): it shows as soon as the HTML and
 * the stylesheet arrive, before the app's script; the app replaces it when it starts (keeping what was typed).
 */
export function render(): string {
  return renderToString(
    <SignedOutSession>
      <SignInPage product="HQ" />
    </SignedOutSession>,
  );
}
