import type { EndReason, HistoryEntry } from './ports.js';

/** Every sentence the bot says, in one place, so tone and wording stay consistent. */

export const PRIVACY_PROMISE =
  'Your partner never sees your name, username, profile or account id: the bot copies each message, it never forwards. ' +
  `Message content is kept for a short time for safety reports, then deleted. /deletemydata erases it at any time.`;

export const HELP = [
  'EchoSoul pairs you with a random stranger for an anonymous one-to-one chat.',
  '',
  '/find [interests] [lang:xx] — look for a partner (e.g. /find music #games lang:en)',
  '/next — leave this chat and find someone new',
  '/stop — leave the search or the chat',
  '/feedback — rate your last chat',
  '/report [reason] — report your current or last partner',
  '/block — never meet your last partner again',
  '/history [session id] — your past chats',
  '/settings [interests] [lang:xx] — default interests and language (/settings clear resets)',
  '/deletemydata — erase your stored messages and preferences',
  '/help — this message',
  '',
  PRIVACY_PROMISE,
].join('\n');

export const WELCOME = `Welcome to EchoSoul!\n\n${HELP}`;

export const searching = (interests: readonly string[], language: string | null): string => {
  const parts: string[] = [];
  if (interests.length > 0) parts.push(`interests: ${interests.join(', ')}`);
  if (language) parts.push(`language: ${language}`);
  return `Looking for a stranger${parts.length ? ` (${parts.join('; ')})` : ''}… I'll tell you as soon as someone is found.`;
};

export const connected = (shared: readonly string[]): string =>
  `You're connected to a stranger. Say hi!` +
  (shared.length > 0 ? `\nYou both like: ${shared.join(', ')}.` : '') +
  `\n/next finds someone new, /stop leaves the chat.`;

export const YOU_LEFT = 'You left the chat.';
export const PARTNER_LEFT = 'The stranger left the chat.';
export const PARTNER_UNREACHABLE = 'The stranger can no longer be reached, so the chat has ended.';
export const IDLE_ENDED = 'The chat ended because nobody wrote for a while.';
export const CHAT_ENDED = 'The chat has ended.';
export const SEARCH_STOPPED = 'Search stopped. Send /find whenever you want to try again.';
export const SEARCH_TIMED_OUT = 'Nobody was found this time. Send /find to try again.';
export const RATE_PROMPT = 'How was this chat? Your rating is anonymous.';
export const RATED = 'Thanks for your rating! Want to add a comment? Use the button, or just carry on.';
export const COMMENT_SAVED = 'Thanks, your comment was saved.';
export const ALREADY_RATED = 'You already rated that chat. Thanks!';
export const REPORT_PICK = 'What happened? Pick the closest reason:';
export const REPORTED =
  'Thank you. The report was sent to our moderators, and you will not be matched with this person again.';
export const BLOCKED = 'Done. You will not be matched with that person again.';
export const BUTTON_EXPIRED = 'That button has expired. Send /help to see what I can do.';
export const DELETE_CONFIRM =
  'This ends any chat or search and erases your stored messages, feedback comments and preferences. ' +
  'Reports and bans are kept for safety, without your messages. Continue?';
export const DELETE_DONE = 'Your data has been erased.';
export const DELETE_CANCELLED = 'Nothing was deleted.';
export const SLOW_DOWN = "Slow down a little: some of your messages weren't delivered. Try again in a few seconds.";
export const NOT_IN_CHAT_MESSAGE = "You're not in a chat right now. Send /find to meet someone.";
export const NOT_DELIVERED = "Your last message couldn't be delivered to the stranger.";

export const endNotice = (reason: EndReason, mine: boolean): string => {
  if (mine) return YOU_LEFT;
  switch (reason) {
    case 'unreachable':
      return PARTNER_UNREACHABLE;
    case 'idle':
      return IDLE_ENDED;
    case 'stop':
    case 'next':
    case 'data_deleted':
      return PARTNER_LEFT;
    case 'banned':
    case 'error':
      return CHAT_ENDED;
  }
};

const duration = (ms: number): string => {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
};

const REASON_LABEL: Record<EndReason, string> = {
  stop: 'someone left',
  next: 'someone moved on',
  idle: 'idle',
  unreachable: 'partner unreachable',
  banned: 'ended by moderation',
  data_deleted: 'data deleted',
  error: 'ended',
};

export const historyList = (entries: readonly HistoryEntry[], now: Date): string => {
  if (entries.length === 0) return "You haven't had any chats yet. Send /find to start one.";
  const lines = entries.map((e) => {
    const length = duration((e.endedAt ?? now).getTime() - e.startedAt.getTime());
    const rating = e.myRating === null ? 'not rated' : `you rated ${e.myRating}/5`;
    const state = e.endedAt ? REASON_LABEL[e.endReason ?? 'error'] : 'ongoing';
    return `${e.sessionId} — ${e.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${length}, you sent ${e.sentByMe}, received ${e.sentByPartner}, ${rating}, ${state}`;
  });
  return `Your last ${entries.length} chat${entries.length === 1 ? '' : 's'}:\n${lines.join('\n')}\n\n/history <session id> shows your own messages of a chat.`;
};

export const USAGE: Record<string, string> = {
  find: 'Usage: /find [interests] [lang:xx] — e.g. /find music #games lang:en',
  report: 'Usage: /report [reason] — during a chat or within 24 hours after it.',
  history: 'Usage: /history or /history session_0123456789',
  settings: 'Usage: /settings [interests] [lang:xx], or /settings clear',
  feedback: 'Usage: /feedback — rate your last chat.',
};
