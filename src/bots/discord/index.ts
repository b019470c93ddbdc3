export { DiscordTransport, DISCORD_CAPABILITIES } from './transport.js';
export type { DiscordTransportOptions, DiscordTuning } from './options.js';
export type { DiscordModeration } from './moderator-roles.js';
export type { FileFetcher, FetchedFile } from './file-fetcher.js';
export { commandDefinitions, COMMAND_SPECS } from './commands.js';
export { syncCommands } from './command-sync.js';
