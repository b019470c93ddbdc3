import { describe, expect, it } from 'vitest';
import {
  banLength,
  formatAge,
  parseDuration,
  parseHandle,
  parsePage,
  parseReportRef,
  shortReportId,
  splitReportReason,
  words,
} from '../../../src/core/moderation/args.js';
import { UserError } from '../../../src/core/errors.js';

const H = 3_600_000;

describe('moderator command arguments', () => {
  it('parses ban durations and permanent bans', () => {
    expect(parseDuration('30m')).toBe(30 * 60_000);
    expect(parseDuration('90min')).toBe(90 * 60_000);
    expect(parseDuration('24h')).toBe(24 * H);
    expect(parseDuration('7D')).toBe(7 * 24 * H);
    expect(parseDuration('2w')).toBe(14 * 24 * H);
    for (const p of ['perm', 'permanent', 'Forever']) expect(parseDuration(p)).toBeNull();
    for (const bad of ['', '0h', '24', 'h', '-1d', '1y', '99999w', '1.5h']) expect(() => parseDuration(bad), bad).toThrow(UserError);
  });

  it('accepts handles only in their own shape', () => {
    expect(parseHandle('u_4f9c2a')).toBe('u_4f9c2a');
    expect(parseHandle('@U_4F9C2A')).toBe('u_4f9c2a');
    for (const bad of [undefined, '', 'u_4f9c2', 'u_4f9c2ab', '4f9c2a', 'u_zzzzzz', '123456789']) expect(() => parseHandle(bad)).toThrow(UserError);
  });

  it('takes a report id in full or by its last 8 hex digits', () => {
    const id = '0192f0a1-7b2c-7d3e-8f40-1a2b3c4d5e6f';
    expect(shortReportId(id)).toBe('#3c4d5e6f');
    expect(parseReportRef(id)).toEqual({ full: id });
    expect(parseReportRef(id.toUpperCase())).toEqual({ full: id });
    expect(parseReportRef('#3c4d5e6f')).toEqual({ short: '3c4d5e6f' });
    expect(parseReportRef('3c4d5e6f')).toEqual({ short: '3c4d5e6f' });
    for (const bad of [undefined, '', '#3c4d5e6', 'nope', `${id}0`]) expect(() => parseReportRef(bad)).toThrow(UserError);
  });

  it('pages are whole numbers from 1', () => {
    expect(parsePage(undefined)).toBe(1);
    expect(parsePage('3')).toBe(3);
    for (const bad of ['0', '-1', '1.5', 'x', '10000']) expect(() => parsePage(bad)).toThrow(UserError);
  });

  it('splits the first words from the rest, keeping the rest verbatim', () => {
    expect(words('  u_4f9c2a   24h  spam,  links  ', 2)).toEqual({ head: ['u_4f9c2a', '24h'], rest: 'spam,  links' });
    expect(words('u_4f9c2a', 2)).toEqual({ head: ['u_4f9c2a'], rest: '' });
    expect(words('', 1)).toEqual({ head: [], rest: '' });
  });

  it('reads a category from the first word of /report only', () => {
    expect(splitReportReason('spam buy my coins')).toEqual({ category: 'spam', comment: 'buy my coins' });
    expect(splitReportReason('Scam: fake shop')).toEqual({ category: 'spam', comment: 'fake shop' });
    expect(splitReportReason('minor')).toEqual({ category: 'minor_safety', comment: '' });
    expect(splitReportReason('nsfw pictures')).toEqual({ category: 'sexual', comment: 'pictures' });
    expect(splitReportReason('he sent spam')).toEqual({ category: null, comment: 'he sent spam' });
  });

  it('formats ages and ban lengths for moderators', () => {
    const now = new Date('2026-12-03T12:00:00Z');
    expect(formatAge(new Date('2026-12-03T11:59:30Z'), now)).toBe('30s');
    expect(formatAge(new Date('2026-12-03T11:15:00Z'), now)).toBe('45m');
    expect(formatAge(new Date('2026-12-03T07:00:00Z'), now)).toBe('5h');
    expect(formatAge(new Date('2026-11-30T12:00:00Z'), now)).toBe('3d');
    expect(banLength(24 * H)).toBe('for 24 h');
    expect(banLength(7 * 24 * H)).toBe('for 7 d');
    expect(banLength(2 * H)).toBe('for 2 h');
    expect(banLength(30 * 60_000)).toBe('for 30 min');
    expect(banLength(null)).toBe('permanently');
  });
});
