/** Replaced at build time with the package version (vite.config.ts). */
declare const __APP_VERSION__: string;
