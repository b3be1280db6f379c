import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import '@phub/web-kit/kit.css';
import './styles.css';

// index.html carries the sign-in page pre-rendered (vite.config.ts): the app replaces it on its first render,
// keeping what was typed there (SignInPage reads it), so no hydration has to match it.
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
