// The kit's edge: what a process that only serves HTTP and verifies tokens needs (the gateway), without the
// database, bus, jobs and subgraph builder the main entry also loads (TypeORM, pg-boss, kafkajs, the AWS SDK:
// about 40 MB of resident memory a gateway never uses). Same modules as the main entry, so the same classes.
export * from './env.js';
export * from './logger.js';
export * from './request-context.js';
export * from './errors.js';
export * from './metrics.js';
export * from './cache.js';
export * from './clock.js';
export * from './limits.js';
export * from './gateway-trust.js';
export * from './http.js';
export * from './graphql-server.js';
export * from './auth/viewer.js';
export * from './auth/index.js';
export type * from './service.js';
export type { Infra } from './infra.js';
export * from './edge-infra.js';
