import { banLength, formatTime } from './args.js';

/** What moderation says to users and to moderators. */

// ---- to users ----------------------------------------------------------------------------

export const bannedNotice = (until: Date | null, reason: string): string =>
  (until
    ? `A moderator has banned you from EchoSoul until ${formatTime(until)}.`
    : 'A moderator has banned you from EchoSoul permanently.') + `\nReason: ${reason}`;

export const BAN_LIFTED = 'Your ban has been lifted. Send /find whenever you want to chat again.';
export const BAN_ENDED = 'Your ban has ended. Send /find whenever you want to chat again.';
export const BAN_ENDED_STILL_SUSPENDED = 'Your ban has ended, but your account stays paused until a moderator reviews recent reports.';
export const SUSPENSION_LIFTED = 'A moderator has reviewed the recent reports. You can use /find again.';
export const SUSPENDED_WHILE_SEARCHING =
  'Your search was stopped: your account is paused while a moderator reviews recent reports.';

export const warning = (text: string): string => `Message from the EchoSoul moderators:\n${text}`;

/** Sent by the warn button of a report; /mod warn lets a moderator write their own. */
export const DEFAULT_WARNING =
  'We received a report about your behaviour in a recent chat. Please be respectful: ' +
  'harassment, spam, sexual content and anything that endangers minors lead to a ban.';

export const REPORT_ALREADY = 'You already reported this chat. Our moderators will look at it.';
export const REPORT_NOTE_SAVED = 'Thanks, your note was added to the report.';
export const REPORT_NOTE_PROMPT = 'Type what you want to add to the report:';
export const REPORT_REFINE = 'If one of these describes it better, pick it:';
export const reportRecategorized = (label: string): string => `Thanks, the report now says: ${label}.`;
export const REPORT_CLOSED = 'That report can no longer be changed.';

// ---- to moderators -----------------------------------------------------------------------

export const MOD_HELP = [
  'Moderator commands:',
  '/mod reports [open|all] [page] — reports, newest first',
  '/mod report <id> — one report with the reported user’s messages and actions',
  '/mod ban <handle> <30m|24h|7d|2w|perm> <reason> — ban a user',
  '/mod unban <handle> [reason] — lift bans and an automatic suspension',
  '/mod warn <handle> <text> — send the user a warning',
  '/mod feedback [low|recent] [page] — ratings and comments',
  '/mod user <handle> — a user’s record',
  '/mod stats — the service right now',
].join('\n');

export const MOD_UNKNOWN_SUB = (sub: string): string => `There is no /mod ${sub.slice(0, 20)}.\n\n${MOD_HELP}`;

export const MOD_USAGE = {
  ban: 'Usage: /mod ban <handle> <30m|24h|7d|2w|perm> <reason>',
  unban: 'Usage: /mod unban <handle> [reason]',
  warn: 'Usage: /mod warn <handle> <text>',
  user: 'Usage: /mod user <handle>',
  reports: 'Usage: /mod reports [open|all] [page]',
  feedback: 'Usage: /mod feedback [low|recent] [page]',
} as const;

export const noSuchUser = (handle: string): string => `No user ${handle}.`;
export const noSuchReport = (ref: string): string => `No report ${ref.slice(0, 40)}.`;
export const AMBIGUOUS_REPORT = 'Several reports end in those digits; use the full id (the Open button carries it).';
export const NOT_YOURSELF = 'You cannot do that to your own account.';

export const banDone = (handle: string, durationMs: number | null, until: Date | null, closed: number): string =>
  `Banned ${handle} ${banLength(durationMs)}${until ? ` (until ${formatTime(until)})` : ''}.` +
  (closed > 0 ? ` ${closed} open report${closed === 1 ? '' : 's'} closed.` : '');

export const unbanDone = (handle: string, lifted: number, unsuspended: boolean): string =>
  `${handle}: ${[lifted > 0 ? `${lifted} ban${lifted === 1 ? '' : 's'} lifted` : '', unsuspended ? 'suspension lifted' : '']
    .filter((s) => s !== '')
    .join(', ')}.`;

export const nothingToUnban = (handle: string): string => `${handle} has no active ban or suspension.`;

export const stillSuspended = (handle: string, open: number): string =>
  `${handle} stays suspended: ${open} open report${open === 1 ? '' : 's'} left. Dismiss or act on them, or /mod unban ${handle}.`;

export const reportNotOpen = (shortId: string, status: string, resolution: string | null): string =>
  `Report ${shortId} is already closed (${status}${resolution ? `: ${resolution}` : ''}). Act on the user with /mod ban, /mod warn or /mod unban.`;

export const autoSuspended = (handle: string, reporters: number): string =>
  `⚠️ ${handle} was reported by ${reporters} different people within 24 h and is suspended from /find until a moderator looks.\n` +
  `/mod user ${handle} · /mod reports open`;

export const urgentReport = (shortId: string, handle: string): string =>
  `⚠️ New minor-safety report ${shortId} against ${handle}.\n/mod report ${shortId}`;
