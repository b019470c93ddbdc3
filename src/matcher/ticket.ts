import { MAX_INTERESTS } from '../core/command-args.js';
import { UserError } from '../core/errors.js';
import type { Platform, UserId } from '../core/types.js';
import { PLATFORMS } from '../core/types.js';
import type { FindRequest } from './ports.js';
import type { Bucket } from './rules.js';

/** A waiting user's search, as the engine sees it. */
export interface Ticket {
  readonly userId: UserId;
  readonly platform: Platform;
  /** Normalized, deduplicated, at most MAX_INTERESTS. */
  readonly interests: readonly string[];
  readonly language?: string | undefined;
  /** Epoch ms when /find was accepted. */
  readonly enqueuedAt: number;
  /** Never pair with these: blocked/reported users and recent partners (fixed at enqueue). */
  readonly avoid: readonly UserId[];
}

/**
 * A ticket plus the engine's own bookkeeping: the bucket the previous window put it in.
 * `undefined` means "not seen by a window yet" (a new arrival, or a ticket that came back
 * after a lost commit race), which makes the engine look at it against the whole pool.
 */
export interface EngineTicket extends Ticket {
  readonly bucket?: Bucket | undefined;
}

/** The same cap /find enforces; kept here too because the matcher must not trust its callers. */
export { MAX_INTERESTS } from '../core/command-args.js';
export const MAX_TAG_LENGTH = 32;

/* Control characters (incl. the \x1e/\x1f separators used in Redis) never survive normalization. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g;

/** Lowercase, trim, collapse inner whitespace, drop a leading '#', deduplicate; keeps first-seen order. */
export function normalizeInterests(raw: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const r of raw) {
    const tag = r.replace(CONTROL, ' ').trim().toLowerCase().replace(/^#+/, '').replace(/\s+/g, ' ').trim();
    if (tag === '' || seen.has(tag)) continue;
    if (tag.length > MAX_TAG_LENGTH) {
      throw new UserError('bad_arguments', `An interest may be at most ${MAX_TAG_LENGTH} characters long.`);
    }
    seen.add(tag);
    out.push(tag);
  }
  if (out.length > MAX_INTERESTS) {
    throw new UserError('bad_arguments', `At most ${MAX_INTERESTS} interests, please.`);
  }
  return out;
}

const LANGUAGE = /^[a-z]{2,3}(-[a-z0-9]{2,8})?$/;

export function normalizeLanguage(raw: string | null | undefined): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  const lang = raw.trim().toLowerCase().replace(/_/g, '-');
  if (lang === '') return undefined;
  if (!LANGUAGE.test(lang)) throw new UserError('bad_arguments', `"${raw}" is not a language code.`);
  return lang;
}

const USER_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

export function checkUserId(userId: string): UserId {
  if (!USER_ID.test(userId)) throw new TypeError(`invalid user id ${JSON.stringify(userId)}`);
  return userId;
}

/** Validates and normalizes a /find request into a ticket. */
export function ticketFromRequest(req: FindRequest, enqueuedAt: number): Ticket {
  if (!PLATFORMS.includes(req.platform)) throw new TypeError(`unknown platform ${String(req.platform)}`);
  const userId = checkUserId(req.userId);
  const avoid = [...new Set((req.avoid ?? []).map(checkUserId))].filter((id) => id !== userId);
  return {
    userId,
    platform: req.platform,
    interests: normalizeInterests(req.interests ?? []),
    language: normalizeLanguage(req.language),
    enqueuedAt,
    avoid,
  };
}

/*
 * Redis encoding of a ticket (the value in the tickets hash, keyed by user id):
 *   enqueuedAt RS platform RS language RS tag US tag ... RS avoid US avoid ...
 * RS = \x1e, US = \x1f. The avoid field is last so enqueue.lua can append recent partners
 * as "US id". Lean on purpose: a typical ticket is 40–120 bytes.
 */
const RS = '\x1e';
const US = '\x1f';

export function encodeTicket(t: Ticket): string {
  return [String(t.enqueuedAt), t.platform, t.language ?? '', t.interests.join(US), t.avoid.join(US)].join(RS);
}

export function decodeTicket(userId: UserId, raw: string): Ticket {
  const parts = raw.split(RS);
  const [at, platform, lang, tags, avoid] = parts;
  const enqueuedAt = Number(at);
  if (parts.length !== 5 || !Number.isFinite(enqueuedAt) || !PLATFORMS.includes(platform as Platform)) {
    throw new TypeError(`corrupt ticket for ${userId}`);
  }
  return {
    userId,
    platform: platform as Platform,
    interests: tags ? tags.split(US) : [],
    language: lang ? lang : undefined,
    enqueuedAt,
    avoid: avoid ? [...new Set(avoid.split(US).filter((id) => id !== '' && id !== userId))] : [],
  };
}
