import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { esmmWindow, fifoWindow, pairScore, type WindowResult } from '../../../src/matcher/engine.js';
import { createRng } from '../../../src/matcher/rng.js';
import { BUCKETS, bucketIndex, makeRules, type MatchRules } from '../../../src/matcher/rules.js';
import type { EngineTicket, Ticket } from '../../../src/matcher/ticket.js';

/*
 * Property tests of the pure engine over random pools and random sequences of windows:
 * safety (nobody twice, no self pair, avoid sets), the rules (every pair acceptable to its
 * chooser, with the partner accepting or yielding to an older waiter), maximality (after a
 * window no two waiting tickets accept each other, so nobody in bucket D waits while a
 * compatible partner exists: no starvation beyond D's edge + one window), determinism, and
 * incremental windows giving exactly what a full re-evaluation gives.
 */

const TAGS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
const LANGS = ['en', 'es', 'ru'];
const EDGES = [1000, 3000, 6000] as const;
const rules = makeRules({ maxCandidates: 1_000_000 }); // unbounded scans: exact maximality

const arrival = fc.record({
  interests: fc.uniqueArray(fc.constantFrom(...TAGS), { maxLength: 4 }),
  language: fc.option(fc.constantFrom(...LANGS), { nil: undefined }),
  /** Indices of earlier arrivals this user blocked. */
  blocks: fc.uniqueArray(fc.nat(200), { maxLength: 2 }),
  /** ms after the previous arrival. */
  gap: fc.integer({ min: 0, max: 1500 }),
});

interface Scenario {
  readonly tickets: Ticket[];
}

const scenario = fc.array(arrival, { minLength: 2, maxLength: 60 }).map((arrivals): Scenario => {
  let at = 0;
  const tickets = arrivals.map((a, i) => {
    at += a.gap;
    const avoid = a.blocks.filter((b) => b < i).map((b) => `u${b}`);
    return { userId: `u${i}`, platform: 'web' as const, interests: a.interests, language: a.language, enqueuedAt: at, avoid };
  });
  return { tickets };
});

function threshold(t: Ticket, waitMs: number, r: MatchRules): number {
  const b = bucketIndex(r, waitMs);
  if (t.interests.length === 0 && b >= BUCKETS.indexOf(r.untaggedAnyoneFrom)) return 0;
  return r.minScore[BUCKETS[b]];
}

const compatible = (x: Ticket, y: Ticket) => x.userId !== y.userId && !x.avoid.includes(y.userId) && !y.avoid.includes(x.userId);

/** c (chooser) accepts x: score >= c's minimum, and x accepts too or is in a younger bucket. */
function acceptable(c: Ticket, x: Ticket, now: number, r: MatchRules): boolean {
  if (!compatible(c, x)) return false;
  const s = pairScore(c, x, r) + 1e-9;
  return s >= threshold(c, now - c.enqueuedAt, r) && (bucketIndex(r, now - x.enqueuedAt) < bucketIndex(r, now - c.enqueuedAt) || s >= threshold(x, now - x.enqueuedAt, r));
}

interface Step {
  readonly now: number;
  readonly pool: EngineTicket[];
  readonly result: WindowResult;
}

/** Replays windows every `windowMs` over the arrivals, like the service does. */
function simulate(sc: Scenario, seed: number, full: boolean, windowMs = 100, engine = esmmWindow): Step[] {
  const rng = createRng(seed);
  const pending = [...sc.tickets];
  const pool = new Map<string, EngineTicket>();
  const steps: Step[] = [];
  const end = (sc.tickets.at(-1)?.enqueuedAt ?? 0) + EDGES[2] + 2 * windowMs;
  for (let now = windowMs; now <= end; now += windowMs) {
    while (pending.length > 0 && pending[0]!.enqueuedAt <= now) {
      const t = pending.shift()!;
      pool.set(t.userId, t);
    }
    const before = [...pool.values()];
    const result = engine(before, now, rng, rules, { full });
    steps.push({ now, pool: before, result });
    for (const m of result.moves) pool.set(m.userId, { ...pool.get(m.userId)!, bucket: m.to });
    for (const p of result.pairs) {
      pool.delete(p.a);
      pool.delete(p.b);
    }
  }
  return steps;
}

describe('ES-MM engine properties', () => {
  it('nobody in two pairs, no self pairs, avoid sets respected, every pair acceptable', () => {
    fc.assert(
      fc.property(scenario, fc.nat(), (sc, seed) => {
        const everPaired = new Set<string>();
        for (const { now, pool, result } of simulate(sc, seed, false)) {
          const byId = new Map(pool.map((t) => [t.userId, t]));
          for (const p of result.pairs) {
            expect(p.a).not.toBe(p.b);
            expect(everPaired.has(p.a) || everPaired.has(p.b)).toBe(false);
            everPaired.add(p.a);
            everPaired.add(p.b);
            const a = byId.get(p.a)!;
            const b = byId.get(p.b)!;
            expect(compatible(a, b)).toBe(true);
            expect(acceptable(a, b, now, rules)).toBe(true);
            expect(p.score).toBeCloseTo(pairScore(a, b, rules), 9);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('after every window no two waiting tickets accept each other (so nobody starves past D + one window)', () => {
    fc.assert(
      fc.property(scenario, fc.nat(), (sc, seed) => {
        for (const { now, pool, result } of simulate(sc, seed, false)) {
          const paired = new Set(result.pairs.flatMap((p) => [p.a, p.b]));
          const left = pool.filter((t) => !paired.has(t.userId));
          for (const c of left) {
            for (const x of left) {
              if (c !== x) expect(acceptable(c, x, now, rules), `${c.userId} accepts ${x.userId} at ${now}`).toBe(false);
            }
            // No starvation: a ticket in bucket D has no compatible waiting partner left.
            if (now - c.enqueuedAt >= EDGES[2]) {
              expect(left.some((x) => compatible(c, x))).toBe(false);
            }
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('every ticket with a compatible partner is paired within bucket D edge + one window', () => {
    fc.assert(
      fc.property(scenario, fc.nat(), (sc, seed) => {
        const windowMs = 100;
        const steps = simulate(sc, seed, false, windowMs);
        const pairedAt = new Map<string, number>();
        for (const s of steps) {
          for (const p of s.result.pairs) {
            pairedAt.set(p.a, s.now);
            pairedAt.set(p.b, s.now);
          }
        }
        for (const t of sc.tickets) {
          const deadline = t.enqueuedAt + EDGES[2] + windowMs;
          const at = pairedAt.get(t.userId);
          if (at !== undefined && at <= deadline) continue;
          // Still waiting at the deadline: then nobody compatible was waiting then.
          const step = steps.find((s) => s.now >= t.enqueuedAt + EDGES[2])!;
          const paired = new Set(step.result.pairs.flatMap((p) => [p.a, p.b]));
          const left = step.pool.filter((x) => !paired.has(x.userId));
          expect(left.some((x) => compatible(t, x))).toBe(false);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('is deterministic for a fixed seed', () => {
    fc.assert(
      fc.property(scenario, fc.nat(), (sc, seed) => {
        const one = simulate(sc, seed, false).map((s) => s.result);
        const two = simulate(sc, seed, false).map((s) => s.result);
        expect(two).toEqual(one);
      }),
      { numRuns: 50 },
    );
  });

  it('incremental windows give exactly the pairs a full re-evaluation gives', () => {
    fc.assert(
      fc.property(scenario, fc.nat(), (sc, seed) => {
        const inc = simulate(sc, seed, false).map((s) => s.result.pairs);
        const full = simulate(sc, seed, true).map((s) => s.result.pairs);
        expect(inc).toEqual(full);
      }),
      { numRuns: 100 },
    );
  });

  it('relaxation order: a pair never happens before the chooser\'s bucket allows its score', () => {
    fc.assert(
      fc.property(scenario, fc.nat(), (sc, seed) => {
        for (const { now, pool, result } of simulate(sc, seed, false)) {
          const byId = new Map(pool.map((t) => [t.userId, t]));
          for (const p of result.pairs) {
            const c = byId.get(p.a)!;
            const wait = now - c.enqueuedAt;
            expect(p.bucket).toBe(BUCKETS[bucketIndex(rules, wait)]);
            expect(p.score + 1e-9).toBeGreaterThanOrEqual(threshold(c, wait, rules));
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('FIFO baseline properties', () => {
  it('nobody twice, no self pairs, avoid respected, strictly arrival order', () => {
    fc.assert(
      fc.property(scenario, fc.nat(), (sc, seed) => {
        for (const { pool, result } of simulate(sc, seed, false, 100, fifoWindow)) {
          const byId = new Map(pool.map((t) => [t.userId, t]));
          const seen = new Set<string>();
          let lastOldest = -Infinity;
          for (const p of result.pairs) {
            const a = byId.get(p.a)!;
            const b = byId.get(p.b)!;
            expect(seen.has(p.a) || seen.has(p.b) || p.a === p.b).toBe(false);
            seen.add(p.a);
            seen.add(p.b);
            expect(compatible(a, b)).toBe(true);
            expect(a.enqueuedAt).toBeLessThanOrEqual(b.enqueuedAt);
            expect(a.enqueuedAt).toBeGreaterThanOrEqual(lastOldest);
            lastOldest = a.enqueuedAt;
          }
          // Maximal: no two compatible tickets left waiting.
          const left = pool.filter((t) => !seen.has(t.userId));
          for (const x of left) for (const y of left) if (x !== y) expect(compatible(x, y)).toBe(false);
        }
      }),
      { numRuns: 100 },
    );
  });
});
