import type { BotCommand } from 'telegraf/types';
import { MODERATOR_COMMAND } from '../../core/index.js';

/** The command menu users see in Telegram; moderator commands stay out of it on purpose. */
export const BOT_COMMANDS: readonly BotCommand[] = [
  { command: 'start', description: 'Welcome and how EchoSoul works' },
  { command: 'find', description: 'Find a stranger to chat with' },
  { command: 'next', description: 'End this chat and find someone new' },
  { command: 'stop', description: 'End the chat or stop searching' },
  { command: 'report', description: 'Report your chat partner' },
  { command: 'feedback', description: 'Rate your last chat' },
  { command: 'history', description: 'Your recent chats' },
  { command: 'settings', description: 'Interests and language' },
  { command: 'block', description: 'Never meet your last partner again' },
  { command: 'deletemydata', description: 'Delete everything EchoSoul keeps about you' },
  { command: 'help', description: 'What every command does' },
];

/**
 * The menu of a configured moderator's own chat (setMyCommands with a chat scope): the user
 * commands plus `/mod`. Nobody else is shown /mod; the core checks the caller on every call.
 */
export const MODERATOR_BOT_COMMANDS: readonly BotCommand[] = [
  ...BOT_COMMANDS,
  { command: MODERATOR_COMMAND.name, description: MODERATOR_COMMAND.description },
];
