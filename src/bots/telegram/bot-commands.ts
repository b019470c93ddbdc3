import type { BotCommand } from 'telegraf/types';
import { MODERATOR_COMMAND, USER_COMMANDS } from '../../core/index.js';

/**
 * The command menu users see in Telegram: the core's user commands, after Telegram's own
 * /start. Moderator commands stay out of it on purpose.
 */
export const BOT_COMMANDS: readonly BotCommand[] = [
  { command: 'start', description: 'Welcome and how EchoSoul works' },
  ...USER_COMMANDS.map((c) => ({ command: c.name, description: c.description })),
];

/**
 * The menu of a configured moderator's own chat (setMyCommands with a chat scope): the user
 * commands plus `/mod`. Nobody else is shown /mod; the core checks the caller on every call.
 */
export const MODERATOR_BOT_COMMANDS: readonly BotCommand[] = [
  ...BOT_COMMANDS,
  { command: MODERATOR_COMMAND.name, description: MODERATOR_COMMAND.description },
];
