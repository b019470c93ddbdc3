import { UserError } from './errors.js';

/** Parsing of command arguments typed by people: forgiving in form, strict in content. */

export const MAX_INTERESTS = 10;
export const MAX_INTEREST_LENGTH = 24;

export interface SearchPreferences {
  readonly interests: readonly string[];
  readonly language: string | null;
}

const LANG_RE = /^(?:lang|language):([a-z]{2,3})$/i;
const INTEREST_RE = /^[\p{L}\p{N}][\p{L}\p{N}_+-]*$/u;

/** Lowercases, trims, strips a leading '#', drops duplicates; rejects what cannot be a tag. */
export function normalizeInterest(raw: string): string {
  const tag = raw.trim().replace(/^#+/, '').toLowerCase();
  if (tag.length === 0 || tag.length > MAX_INTEREST_LENGTH || !INTEREST_RE.test(tag)) {
    throw new UserError(
      'bad_arguments',
      `"${raw.slice(0, 30)}" is not an interest I can use: letters and digits only, up to ${MAX_INTEREST_LENGTH} characters.`,
    );
  }
  return tag;
}

/**
 * `/find music #games lang:en` → interests [music, games], language en.
 * Commas work as separators too, since people type lists that way.
 */
export function parsePreferences(args: string): SearchPreferences & { readonly given: boolean } {
  const words = args
    .split(/[\s,]+/)
    .map((w) => w.trim())
    .filter((w) => w.length > 0);
  let language: string | null = null;
  const interests: string[] = [];
  for (const word of words) {
    const lang = LANG_RE.exec(word);
    if (lang?.[1]) {
      language = lang[1].toLowerCase();
      continue;
    }
    if (/^(?:lang|language):/i.test(word)) {
      throw new UserError('bad_arguments', 'A language is a 2- or 3-letter code, like lang:en or lang:de.');
    }
    const tag = normalizeInterest(word);
    if (!interests.includes(tag)) interests.push(tag);
  }
  if (interests.length > MAX_INTERESTS) {
    throw new UserError('bad_arguments', `Up to ${MAX_INTERESTS} interests, please (you gave ${interests.length}).`);
  }
  return { interests, language, given: words.length > 0 };
}

const SESSION_ID_RE = /^session_[0-9a-f]{10}$/;

export const isSessionId = (s: string): boolean => SESSION_ID_RE.test(s);

export function parseRating(raw: string): number | null {
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= 5 ? n : null;
}
