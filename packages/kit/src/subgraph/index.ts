export * from './declaration.js';
export * from './define.js';
export * from './every.js';
