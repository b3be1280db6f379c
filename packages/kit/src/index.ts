import 'reflect-metadata';

export * from './env.js';
export * from './logger.js';
export * from './errors.js';
export * from './metrics.js';
export * from './db.js';
export * from './cache.js';
export * from './pubsub.js';
export * from './bus/bus.js';
export * from './bus/memory-bus.js';
export * from './bus/kafka-bus.js';
export * from './bus/outbox.js';
export * from './http.js';
export * from './graphql-server.js';
export * from './schema.js';
export * from './infra.js';
export * from './service.js';
export * from './relay.js';
