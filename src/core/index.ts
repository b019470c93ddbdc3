export * from './types.js';
export * from './inbound.js';
export * from './outbound.js';
export * from './errors.js';
export * from './transport.js';
export type * from './log.js';
