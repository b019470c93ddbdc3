import type { EngineTicket } from '../../../src/matcher/ticket.js';

/** A ticket enqueued `ageMs` before `now` (default now = 100_000). */
export function tk(
  userId: string,
  ageMs: number,
  extra: { interests?: string[]; language?: string; avoid?: string[]; now?: number; bucket?: EngineTicket['bucket'] } = {},
): EngineTicket {
  return {
    userId,
    platform: 'telegram',
    interests: extra.interests ?? [],
    language: extra.language,
    enqueuedAt: (extra.now ?? NOW) - ageMs,
    avoid: extra.avoid ?? [],
    bucket: extra.bucket,
  };
}

export const NOW = 100_000;
