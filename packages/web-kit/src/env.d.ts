declare global {
  interface Window {
    /** Set by a CDN deployment (a script before the app) to point the apps at the platform's graph. */
    PHUB_GRAPHQL_URL?: string;
  }
}

export {};
