import { UserError } from '../errors.js';
import type { ReportCategory } from '../ports.js';

/** Parsing and formatting shared by the moderator commands and the report flow. */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const UNIT_MS: Readonly<Record<string, number>> = { m: MINUTE, h: HOUR, d: DAY, w: 7 * DAY };

/** Ten years: anything longer is what "perm" is for. */
export const MAX_BAN_MS = 3650 * DAY;

/** `30m`, `24h`, `7d`, `2w` → milliseconds; `perm` → null (permanent). */
export function parseDuration(raw: string): number | null {
  const s = raw.trim().toLowerCase();
  if (s === 'perm' || s === 'permanent' || s === 'forever') return null;
  const m = /^(\d{1,5})(m|min|h|d|w)$/.exec(s);
  const unit = m?.[2] === 'min' ? 'm' : m?.[2];
  const ms = m?.[1] && unit ? Number(m[1]) * (UNIT_MS[unit] ?? 0) : 0;
  if (!(ms > 0) || ms > MAX_BAN_MS) {
    throw new UserError('bad_arguments', `"${raw.slice(0, 20)}" is not a duration: use 30m, 24h, 7d, 2w or perm.`);
  }
  return ms;
}

const HANDLE_RE = /^@?(u_[0-9a-f]{6})$/;

/** A user's anonymous handle (`u_4f9c2a`, an `@` in front is forgiven). */
export function parseHandle(raw: string | undefined): string {
  const m = HANDLE_RE.exec((raw ?? '').trim().toLowerCase());
  if (!m?.[1]) throw new UserError('bad_arguments', `"${(raw ?? '').slice(0, 20)}" is not a user handle (like u_4f9c2a).`);
  return m[1];
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SHORT_RE = /^#?([0-9a-f]{8})$/;

export const isUuid = (s: string): boolean => UUID_RE.test(s);

/**
 * Report ids are uuids; moderators see and may type the last 8 hex digits (`#1a2b3c4d`),
 * which are random in a v7 uuid (the leading ones are a timestamp shared by neighbours).
 */
export const shortReportId = (id: string): string => `#${id.slice(-8)}`;

export function parseReportRef(raw: string | undefined): { readonly full: string } | { readonly short: string } {
  const s = (raw ?? '').trim().toLowerCase();
  if (UUID_RE.test(s)) return { full: s };
  const m = SHORT_RE.exec(s);
  if (m?.[1]) return { short: m[1] };
  throw new UserError('bad_arguments', 'Usage: /mod report <id>, e.g. /mod report #1a2b3c4d');
}

/** A 1-based page number; absent means 1. */
export function parsePage(raw: string | undefined): number {
  if (raw === undefined) return 1;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 9999) throw new UserError('bad_arguments', `"${raw.slice(0, 10)}" is not a page number.`);
  return n;
}

const CATEGORY_ALIASES: Readonly<Record<string, ReportCategory>> = {
  harassment: 'harassment',
  harass: 'harassment',
  abuse: 'harassment',
  bullying: 'harassment',
  spam: 'spam',
  scam: 'spam',
  sexual: 'sexual',
  sex: 'sexual',
  nsfw: 'sexual',
  minor: 'minor_safety',
  minor_safety: 'minor_safety',
  child: 'minor_safety',
  underage: 'minor_safety',
  other: 'other',
};

/**
 * `/report spam he keeps posting links` → spam + the rest as the comment. Only the first
 * word is looked at, so a sentence that merely contains "spam" stays a free comment.
 */
export function splitReportReason(args: string): { readonly category: ReportCategory | null; readonly comment: string } {
  const text = args.trim();
  const [first = '', ...rest] = text.split(/\s+/);
  const category = CATEGORY_ALIASES[first.toLowerCase().replace(/[:,.]$/, '')] ?? null;
  return category ? { category, comment: rest.join(' ').trim() } : { category: null, comment: text };
}

/** Splits a moderator command's arguments: the first `count` words, then the rest verbatim. */
export function words(args: string, count: number): { readonly head: string[]; readonly rest: string } {
  let rest = args.trim();
  const head: string[] = [];
  while (head.length < count && rest !== '') {
    const m = /^(\S+)\s*/.exec(rest);
    if (!m?.[1]) break;
    head.push(m[1]);
    rest = rest.slice(m[0].length);
  }
  return { head, rest };
}

export const formatTime = (d: Date): string => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** "45s", "12m", "5h", "3d": how long ago, for lists. */
export function formatAge(from: Date, now: Date): string {
  const s = Math.max(0, Math.floor((now.getTime() - from.getTime()) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

/** "24 h", "7 d", "90 min". */
export function formatDuration(ms: number): string {
  // A day reads better as 24 h; longer whole days as days.
  if (ms % DAY === 0 && ms > DAY) return `${ms / DAY} d`;
  if (ms % HOUR === 0) return `${ms / HOUR} h`;
  return `${Math.round(ms / MINUTE)} min`;
}

/** "for 24 h" or "permanently". */
export const banLength = (ms: number | null): string => (ms === null ? 'permanently' : `for ${formatDuration(ms)}`);

/** Milliseconds as "0.42 s" or "1.3 s" for time-to-match figures. */
export const formatSeconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
