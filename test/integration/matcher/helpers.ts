import type { MatchedPair, PairSink } from '../../../src/core/pairing.js';
import type { UserId } from '../../../src/core/types.js';
import type { FindRequest } from '../../../src/matcher/ports.js';

/** A PairSink that records what the matcher reports (the session service is the next issue). */
export class RecordingSink implements PairSink {
  readonly pairs: MatchedPair[] = [];
  readonly timeouts: UserId[] = [];
  private waiters: { n: number; resolve: () => void }[] = [];

  onPair(pair: MatchedPair): Promise<void> {
    this.pairs.push(pair);
    this.wake();
    return Promise.resolve();
  }

  onSearchTimeout(userId: UserId): Promise<void> {
    this.timeouts.push(userId);
    this.wake();
    return Promise.resolve();
  }

  /** Resolves once at least `n` pairs were recorded, or rejects after `ms`. */
  waitForPairs(n: number, ms = 10_000): Promise<void> {
    if (this.pairs.length >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${this.pairs.length}/${n} pairs after ${ms} ms`)), ms);
      this.waiters.push({
        n,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  private wake(): void {
    this.waiters = this.waiters.filter((w) => {
      if (this.pairs.length < w.n) return true;
      w.resolve();
      return false;
    });
  }

  partnerOf(userId: UserId): UserId | undefined {
    for (const p of this.pairs) {
      if (p.userA === userId) return p.userB;
      if (p.userB === userId) return p.userA;
    }
    return undefined;
  }
}

let seq = 0;
/** A /find with a readable, unique user id. */
export function find(name: string, extra: Partial<FindRequest> = {}): FindRequest {
  seq++;
  return { userId: `${name}-${seq}`, platform: 'telegram', interests: [], ...extra };
}

/** Every user appears in at most one pair; returns the users seen. */
export function assertNoDoublePairs(pairs: readonly MatchedPair[]): Set<UserId> {
  const seen = new Set<UserId>();
  for (const p of pairs) {
    if (p.userA === p.userB) throw new Error(`self pair ${p.userA}`);
    for (const u of [p.userA, p.userB]) {
      if (seen.has(u)) throw new Error(`${u} paired twice`);
      seen.add(u);
    }
  }
  return seen;
}
