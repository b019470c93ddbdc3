/**
 * The moderator commands as data, for the adapters' command menus: Telegram shows `/mod` in
 * a per-chat command scope (setMyCommands with BotCommandScopeChat) for each configured
 * moderator only; Discord registers `/mod` as a command group whose subcommands are these,
 * hidden by default_member_permissions, and flattens the options, in this order, into the
 * text form the core parses (`mod ban u_4f9c2a 24h spam links`). The core checks the caller
 * on every call either way.
 */

export interface ModeratorCommandArg {
  /** Lowercase, 1–32 characters (Discord's option name rules). */
  readonly name: string;
  readonly description: string;
  readonly required: boolean;
  readonly choices?: readonly string[];
}

export interface ModeratorCommandSpec {
  /** Subcommand of /mod. */
  readonly name: string;
  /** At most 100 characters (Discord's limit). */
  readonly description: string;
  readonly args: readonly ModeratorCommandArg[];
}

/** The one command moderators see in their menu; everything else is a subcommand. */
export const MODERATOR_COMMAND = { name: 'mod', description: 'Moderator tools (/mod help)' } as const;

const handle: ModeratorCommandArg = { name: 'handle', description: 'The user’s anonymous handle, like u_4f9c2a', required: true };
const page: ModeratorCommandArg = { name: 'page', description: 'Page number', required: false };

export const MODERATOR_COMMANDS: readonly ModeratorCommandSpec[] = [
  {
    name: 'reports',
    description: 'Reports, newest first',
    args: [{ name: 'filter', description: 'open (default) or all', required: false, choices: ['open', 'all'] }, page],
  },
  {
    name: 'report',
    description: 'One report: details, the reported user’s messages, actions',
    args: [{ name: 'id', description: 'Report id, like #1a2b3c4d', required: true }],
  },
  {
    name: 'ban',
    description: 'Ban a user',
    args: [
      handle,
      { name: 'duration', description: '30m, 24h, 7d, 2w or perm', required: true },
      { name: 'reason', description: 'Why (the user sees it)', required: true },
    ],
  },
  {
    name: 'unban',
    description: 'Lift a user’s bans and automatic suspension',
    args: [handle, { name: 'reason', description: 'Why (for the audit log)', required: false }],
  },
  {
    name: 'warn',
    description: 'Send a user a warning',
    args: [handle, { name: 'text', description: 'The warning the user receives', required: true }],
  },
  {
    name: 'feedback',
    description: 'Ratings and comments; average rating per day',
    args: [{ name: 'order', description: 'recent (default) or low', required: false, choices: ['recent', 'low'] }, page],
  },
  { name: 'user', description: 'A user’s sessions, ratings, reports, bans and moderator actions', args: [handle] },
  { name: 'stats', description: 'Searching and chatting now, matches today, time to match, ratings, open reports', args: [] },
  { name: 'help', description: 'The moderator commands', args: [] },
];
