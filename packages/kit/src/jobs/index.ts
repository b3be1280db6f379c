export * from './job.js';
export * from './metrics.js';
export * from './runner.js';
export * from './worker.js';
export * from './admin.js';
