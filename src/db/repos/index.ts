export * from './users.js';
export * from './sessions.js';
export * from './messages.js';
export * from './feedback.js';
export * from './reports.js';
export * from './moderation.js';
export * from './settings.js';
