export * from './ports.js';
export * from './args.js';
export * from './moderators.js';
export * from './service.js';
export * from './desk.js';
export * from './commands.js';
export * as moderationTexts from './texts.js';
