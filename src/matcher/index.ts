export * from './ports.js';
export * from './rules.js';
export * from './rng.js';
export * from './ticket.js';
export * from './engine.js';
export { PoolStore, FOREVER_MS, PAIR_CODES, type PairCode, type EnqueueStatus } from './store.js';
export * from './service.js';
