import type { Platform } from '../core/index.js';

export interface RateLimit {
  /** Sustained sends per second. */
  readonly perSecond: number;
  /** How many may go at once before the rate applies. */
  readonly burst: number;
}

export interface PacerLimits {
  readonly global: Partial<Record<Platform, RateLimit>>;
  readonly perChat: Partial<Record<Platform, RateLimit>>;
}

/** Telegram: ~30 messages/s per bot and ~1/s per chat with short bursts; Discord: 50 requests/s. */
export const PLATFORM_LIMITS: PacerLimits = {
  global: { telegram: { perSecond: 30, burst: 30 }, discord: { perSecond: 50, burst: 50 } },
  perChat: { telegram: { perSecond: 1, burst: 5 }, discord: { perSecond: 5, burst: 5 } },
};

class TokenBucket {
  private tokens: number;
  private last: number;
  /** Nothing may be sent before this time (a platform's retry_after). */
  private blockedUntil = 0;

  constructor(
    private readonly limit: RateLimit,
    now: number,
  ) {
    this.tokens = limit.burst;
    this.last = now;
  }

  /** Takes a token and returns 0, or returns how long to wait before asking again. */
  take(now: number): number {
    if (now < this.blockedUntil) return this.blockedUntil - now;
    this.tokens = Math.min(this.limit.burst, this.tokens + ((now - this.last) / 1000) * this.limit.perSecond);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.limit.perSecond) * 1000);
  }

  block(until: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, until);
  }

  idleSince(now: number): boolean {
    return now >= this.blockedUntil && this.tokens + ((now - this.last) / 1000) * this.limit.perSecond >= this.limit.burst;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Keeps sends under each platform's limits in steady state. In-process: with several
 * relay processes the limits should be divided between them.
 */
export class Pacer {
  private readonly global = new Map<Platform, TokenBucket>();
  private readonly chats = new Map<string, TokenBucket>();

  constructor(
    private readonly limits: PacerLimits = PLATFORM_LIMITS,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Waits until one more send to this chat is allowed. */
  async acquire(platform: Platform, chatId: string): Promise<void> {
    for (;;) {
      const now = this.clock();
      const chat = this.chatBucket(platform, chatId, now);
      const g = this.globalBucket(platform, now);
      // Check the chat first so a busy chat does not burn global tokens while it waits.
      const chatWait = chat ? chat.take(now) : 0;
      if (chatWait > 0) {
        await sleep(chatWait);
        continue;
      }
      const globalWait = g ? g.take(now) : 0;
      if (globalWait > 0) {
        await sleep(globalWait);
        continue;
      }
      return;
    }
  }

  /** A platform said "retry after": hold this chat (and, for a global limit, the platform). */
  penalize(platform: Platform, chatId: string, retryAfterMs: number, wholePlatform = false): void {
    const until = this.clock() + retryAfterMs;
    this.chatBucket(platform, chatId, this.clock())?.block(until);
    if (wholePlatform) this.globalBucket(platform, this.clock())?.block(until);
  }

  /** Drops buckets that are full again, so memory follows active chats only. */
  sweep(): void {
    const now = this.clock();
    for (const [key, bucket] of this.chats) if (bucket.idleSince(now)) this.chats.delete(key);
  }

  private chatBucket(platform: Platform, chatId: string, now: number): TokenBucket | undefined {
    const limit = this.limits.perChat[platform];
    if (!limit) return undefined;
    const key = `${platform}:${chatId}`;
    let bucket = this.chats.get(key);
    if (!bucket) {
      bucket = new TokenBucket(limit, now);
      this.chats.set(key, bucket);
    }
    return bucket;
  }

  private globalBucket(platform: Platform, now: number): TokenBucket | undefined {
    const limit = this.limits.global[platform];
    if (!limit) return undefined;
    let bucket = this.global.get(platform);
    if (!bucket) {
      bucket = new TokenBucket(limit, now);
      this.global.set(platform, bucket);
    }
    return bucket;
  }
}
