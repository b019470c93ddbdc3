import type { ReportCategory } from './ports.js';
import type { SessionId } from './types.js';

/**
 * Button actions are short strings that round-trip through the platforms (Telegram
 * callback_data is limited to 64 bytes, Discord custom_id to 100), so they are built and
 * parsed here only.
 */
export type Action =
  | { readonly type: 'find' }
  | { readonly type: 'next' }
  | { readonly type: 'stop' }
  | { readonly type: 'rate'; readonly sessionId: SessionId; readonly rating: number }
  | { readonly type: 'comment'; readonly sessionId: SessionId }
  | { readonly type: 'report'; readonly sessionId: SessionId }
  | { readonly type: 'report_category'; readonly sessionId: SessionId; readonly category: ReportCategory }
  | { readonly type: 'report_comment'; readonly reportId: string }
  | { readonly type: 'block'; readonly sessionId: SessionId }
  | { readonly type: 'delete_confirm' }
  | { readonly type: 'delete_cancel' }
  | { readonly type: 'report_recategorize'; readonly reportId: string; readonly category: ReportCategory }
  | ModAction;

/** Ban lengths offered as buttons on a report. */
export type ModBanDuration = '24h' | '7d' | 'perm';

/** Moderator buttons (src/core/moderation): every press is checked against the moderator list again. */
export type ModAction =
  | { readonly type: 'mod_open'; readonly reportId: string }
  | { readonly type: 'mod_dismiss'; readonly reportId: string }
  | { readonly type: 'mod_warn'; readonly reportId: string }
  | { readonly type: 'mod_ban'; readonly reportId: string; readonly duration: ModBanDuration }
  | { readonly type: 'mod_page'; readonly list: 'reports'; readonly filter: 'open' | 'all'; readonly page: number }
  | { readonly type: 'mod_page'; readonly list: 'feedback'; readonly filter: 'low' | 'recent'; readonly page: number };

export const isModAction = (a: Action): a is ModAction => a.type.startsWith('mod_');

export const REPORT_CATEGORIES: readonly { readonly category: ReportCategory; readonly label: string }[] = [
  { category: 'harassment', label: 'Harassment' },
  { category: 'spam', label: 'Spam or scam' },
  { category: 'sexual', label: 'Sexual content' },
  { category: 'minor_safety', label: 'Minor safety' },
  { category: 'other', label: 'Other' },
];

const CATEGORY_SET = new Set<string>(REPORT_CATEGORIES.map((c) => c.category));
const isCategory = (s: string): s is ReportCategory => CATEGORY_SET.has(s);

export function encodeAction(a: Action): string {
  switch (a.type) {
    case 'find':
    case 'next':
    case 'stop':
    case 'delete_confirm':
    case 'delete_cancel':
      return a.type;
    case 'rate':
      return `rate:${a.rating}:${a.sessionId}`;
    case 'comment':
      return `comment:${a.sessionId}`;
    case 'report':
      return `report:${a.sessionId}`;
    case 'report_category':
      return `rcat:${a.category}:${a.sessionId}`;
    case 'report_comment':
      return `rnote:${a.reportId}`;
    case 'block':
      return `block:${a.sessionId}`;
    case 'report_recategorize':
      return `rset:${a.category}:${a.reportId}`;
    case 'mod_open':
      return `mod:open:${a.reportId}`;
    case 'mod_dismiss':
      return `mod:dismiss:${a.reportId}`;
    case 'mod_warn':
      return `mod:warn:${a.reportId}`;
    case 'mod_ban':
      return `mod:ban:${a.duration}:${a.reportId}`;
    case 'mod_page':
      return `mod:page:${a.list}:${a.filter}:${a.page}`;
  }
}

const SESSION = 'session_[0-9a-f]{10}';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const modReportAction = (verb: string | undefined, reportId: string): Action | null =>
  verb === 'open'
    ? { type: 'mod_open', reportId }
    : verb === 'dismiss'
      ? { type: 'mod_dismiss', reportId }
      : verb === 'warn'
        ? { type: 'mod_warn', reportId }
        : null;

const PATTERNS: readonly [RegExp, (m: RegExpExecArray) => Action | null][] = [
  [/^(find|next|stop|delete_confirm|delete_cancel)$/, (m) => ({ type: m[1] as 'find' })],
  [new RegExp(`^rate:([1-5]):(${SESSION})$`), (m) => ({ type: 'rate', rating: Number(m[1]), sessionId: m[2] ?? '' })],
  [new RegExp(`^comment:(${SESSION})$`), (m) => ({ type: 'comment', sessionId: m[1] ?? '' })],
  [new RegExp(`^report:(${SESSION})$`), (m) => ({ type: 'report', sessionId: m[1] ?? '' })],
  [
    new RegExp(`^rcat:([a-z_]+):(${SESSION})$`),
    (m) => (m[1] && isCategory(m[1]) ? { type: 'report_category', category: m[1], sessionId: m[2] ?? '' } : null),
  ],
  [/^rnote:([0-9a-f-]{36})$/, (m) => ({ type: 'report_comment', reportId: m[1] ?? '' })],
  [new RegExp(`^block:(${SESSION})$`), (m) => ({ type: 'block', sessionId: m[1] ?? '' })],
  [
    new RegExp(`^rset:([a-z_]+):(${UUID})$`),
    (m) => (m[1] && isCategory(m[1]) ? { type: 'report_recategorize', category: m[1], reportId: m[2] ?? '' } : null),
  ],
  [new RegExp(`^mod:(open|dismiss|warn):(${UUID})$`), (m) => modReportAction(m[1], m[2] ?? '')],
  [new RegExp(`^mod:ban:(24h|7d|perm):(${UUID})$`), (m) => ({ type: 'mod_ban', duration: m[1] as ModBanDuration, reportId: m[2] ?? '' })],
  [/^mod:page:reports:(open|all):([1-9]\d{0,3})$/, (m) => ({ type: 'mod_page', list: 'reports', filter: m[1] as 'open', page: Number(m[2]) })],
  [/^mod:page:feedback:(low|recent):([1-9]\d{0,3})$/, (m) => ({ type: 'mod_page', list: 'feedback', filter: m[1] as 'low', page: Number(m[2]) })],
];

/** Null for anything we did not issue (stale or forged callback data). */
export function decodeAction(raw: string): Action | null {
  for (const [re, build] of PATTERNS) {
    const m = re.exec(raw);
    if (m) return build(m);
  }
  return null;
}
