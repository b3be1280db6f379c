// Token verification shared by every subgraph and the gateway (viewer.ts is exported by the kit index itself).
export * from './claims.js';
export * from './token-verifier.js';
export * from './authenticate.js';
export * from './auth-checker.js';
