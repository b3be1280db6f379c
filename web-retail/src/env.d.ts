/// <reference types="vite/client" />

declare global {
  interface Window {
    /** Set by a CDN deployment (a script before the app) to point the store app at the platform's graph. */
    PHUB_GRAPHQL_URL?: string;
  }
}

export {};
