export { FakeDiscord, type FakeDiscordOptions, type FakeUpload, type UserMessage } from './fake-discord.js';
export { discordError, rateLimited, serverError, type FailureSpec } from './failures.js';
export type { FakeGuild, FakeInteraction, RecordedFile, RecordedRequest, WireMessage, WireUser } from './wire.js';
