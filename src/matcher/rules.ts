/**
 * ES-MM rules: one typed object with the product defaults. Everything that tunes matching
 * lives here so config (MATCH_WINDOW_MS, SEARCH_TIMEOUT_S, ...) can override it as plain numbers.
 */

export const BUCKETS = ['A', 'B', 'C', 'D'] as const;
/** Wait buckets: A 0–1 s, B 1–3 s, C 3–6 s, D 6 s and more (edges configurable). */
export type Bucket = (typeof BUCKETS)[number];

export interface MatchRules {
  /** Upper edges of buckets A, B and C in ms of waiting; D is everything above the last. */
  readonly bucketEdgesMs: readonly [number, number, number];
  /**
   * Minimum pair score the choosing ticket needs, by its bucket. Score = Jaccard of interests
   * (0..1) + languageWeight when both have the same language.
   *   A: a strong match, B: a partial match, C: any shared interest or language (score > 0),
   *   D: anyone compatible.
   */
  readonly minScore: Readonly<Record<Bucket, number>>;
  /** Added to the score when both tickets name the same language. */
  readonly languageWeight: number;
  /** A ticket without interests accepts anyone (score >= 0) from this bucket on. */
  readonly untaggedAnyoneFrom: Bucket;
  /** Priority = wait_ms × R, R uniform in [lo, hi], drawn per ticket per window. */
  readonly priorityJitter: readonly [number, number];
  /**
   * Upper bound of tag-sharing candidates one new or re-bucketed ticket examines per window
   * (rarest tags first, oldest tickets first). Bounds window CPU at large pools; the
   * anyone-from-C/D paths are not bounded, so starvation freedom does not depend on it.
   */
  readonly maxCandidates: number;
  /** The last N partners within recentPartnerWindowMs are never proposed again. */
  readonly recentPartnerLimit: number;
  readonly recentPartnerWindowMs: number;
  /** A search gives up after this long (SEARCH_TIMEOUT_S × 1000). */
  readonly searchTimeoutMs: number;
}

export const DEFAULT_RULES: MatchRules = Object.freeze({
  bucketEdgesMs: [1000, 3000, 6000] as const,
  // A strong: half the interests shared, or a quarter plus the same language.
  // B partial: a third shared, or any shared interest plus the same language (J > 0.1).
  // C: score > 0, any shared interest or the same language. D: anyone compatible.
  minScore: Object.freeze({ A: 0.5, B: 0.35, C: 1e-6, D: 0 }),
  languageWeight: 0.25,
  untaggedAnyoneFrom: 'A',
  priorityJitter: [0.8, 1.2] as const,
  maxCandidates: 128,
  recentPartnerLimit: 3,
  recentPartnerWindowMs: 10 * 60_000,
  searchTimeoutMs: 600_000,
});

export type RulesOverride = Partial<Omit<MatchRules, 'minScore'>> & {
  readonly minScore?: Partial<Record<Bucket, number>>;
};

/** Merges overrides onto the defaults and checks that the result is coherent. */
export function makeRules(override: RulesOverride = {}): MatchRules {
  const rules: MatchRules = {
    ...DEFAULT_RULES,
    ...override,
    minScore: { ...DEFAULT_RULES.minScore, ...override.minScore },
  };
  const [a, b, c] = rules.bucketEdgesMs;
  if (!(a > 0 && b > a && c > b)) throw new RangeError(`bucketEdgesMs must be increasing and positive, got ${rules.bucketEdgesMs.join(',')}`);
  const s = rules.minScore;
  if (!(s.A >= s.B && s.B >= s.C && s.C >= s.D && s.D >= 0)) {
    throw new RangeError('minScore must not increase from bucket A to D and must be >= 0');
  }
  if (!(rules.languageWeight >= 0)) throw new RangeError('languageWeight must be >= 0');
  const [lo, hi] = rules.priorityJitter;
  if (!(lo > 0 && hi >= lo)) throw new RangeError('priorityJitter must be 0 < lo <= hi');
  if (!(Number.isInteger(rules.maxCandidates) && rules.maxCandidates > 0)) throw new RangeError('maxCandidates must be a positive integer');
  if (!(Number.isInteger(rules.recentPartnerLimit) && rules.recentPartnerLimit >= 0)) {
    throw new RangeError('recentPartnerLimit must be an integer >= 0');
  }
  if (!(rules.recentPartnerWindowMs >= 0)) throw new RangeError('recentPartnerWindowMs must be >= 0');
  if (!(rules.searchTimeoutMs > 0)) throw new RangeError('searchTimeoutMs must be > 0');
  return rules;
}

export function bucketIndex(rules: MatchRules, waitMs: number): 0 | 1 | 2 | 3 {
  const [a, b, c] = rules.bucketEdgesMs;
  return waitMs < a ? 0 : waitMs < b ? 1 : waitMs < c ? 2 : 3;
}

export function bucketOf(rules: MatchRules, waitMs: number): Bucket {
  return BUCKETS[bucketIndex(rules, waitMs)];
}
