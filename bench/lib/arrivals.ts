/**
 * Synthetic arrivals for the matcher benchmark: Poisson arrivals at a given rate, interests
 * drawn from a Zipf distribution over a tag vocabulary (0–5 tags each, a share with none),
 * a few languages. Seeded, so both engines see exactly the same trace.
 */
import type { FindRequest } from '../../src/matcher/ports.js';
import type { Platform } from '../../src/core/types.js';
import { createRng, type Rng } from '../../src/matcher/rng.js';

export interface ArrivalOptions {
  readonly seed: number;
  /** Arrivals per second (Poisson). */
  readonly rate: number;
  readonly tags?: number;
  readonly zipfS?: number;
  readonly maxTags?: number;
  /** Share of users without interests. */
  readonly untaggedShare?: number;
  /** Language weights; the rest of the mass names no language. */
  readonly languages?: readonly (readonly [string, number])[];
}

export interface Arrival {
  /** Offset from the start of the trace, ms. */
  readonly atMs: number;
  readonly request: FindRequest;
}

const PLATFORMS: readonly Platform[] = ['telegram', 'discord', 'web'];
const DEFAULT_LANGUAGES: readonly (readonly [string, number])[] = [
  ['en', 0.55],
  ['es', 0.15],
  ['ru', 0.1],
  ['pt', 0.1],
];

const uuidFrom = (rng: Rng): string => {
  const hex = (k: number): string => {
    let s = '';
    for (let i = 0; i < k; i++) s += Math.floor(rng() * 16).toString(16);
    return s;
  };
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(rng() * 4)]}${hex(3)}-${hex(12)}`;
};

export class ArrivalGenerator {
  private readonly rng: Rng;
  private readonly cdf: Float64Array;
  private readonly vocabulary: string[];
  private readonly opts: Required<ArrivalOptions>;

  constructor(options: ArrivalOptions) {
    this.opts = {
      tags: 200,
      zipfS: 1.0,
      maxTags: 5,
      untaggedShare: 0.2,
      languages: DEFAULT_LANGUAGES,
      ...options,
    };
    this.rng = createRng(options.seed);
    const n = this.opts.tags;
    this.vocabulary = Array.from({ length: n }, (_, i) => `tag${String(i + 1).padStart(3, '0')}`);
    const weights = Array.from({ length: n }, (_, i) => 1 / Math.pow(i + 1, this.opts.zipfS));
    const sum = weights.reduce((a, b) => a + b, 0);
    this.cdf = new Float64Array(n);
    let acc = 0;
    weights.forEach((wt, i) => {
      acc += wt / sum;
      this.cdf[i] = acc;
    });
  }

  private zipfTag(): string {
    const u = this.rng();
    let lo = 0;
    let hi = this.cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return this.vocabulary[lo]!;
  }

  /** One user's /find. */
  request(): FindRequest {
    const userId = uuidFrom(this.rng);
    const platform = PLATFORMS[Math.floor(this.rng() * PLATFORMS.length)]!;
    const interests: string[] = [];
    if (this.rng() >= this.opts.untaggedShare) {
      const k = 1 + Math.floor(this.rng() * this.opts.maxTags);
      const set = new Set<string>();
      for (let guard = 0; set.size < k && guard < 50; guard++) set.add(this.zipfTag());
      interests.push(...set);
    }
    let u = this.rng();
    let language: string | undefined;
    for (const [lang, p] of this.opts.languages) {
      if (u < p) {
        language = lang;
        break;
      }
      u -= p;
    }
    return language === undefined ? { userId, platform, interests } : { userId, platform, interests, language };
  }

  private nicheCount = 0;

  /**
   * A "niche" user: one interest nobody else has and no language, so ES-MM finds nobody
   * acceptable before bucket D (6 s). The benchmark uses them to hold a steady pool.
   */
  niche(): FindRequest {
    const userId = uuidFrom(this.rng);
    const platform = PLATFORMS[Math.floor(this.rng() * PLATFORMS.length)]!;
    return { userId, platform, interests: [`niche-${(this.nicheCount++).toString(36)}`] };
  }

  /** A Poisson trace of `durationMs` at `rate` per second (default: the generator's rate). */
  trace(durationMs: number, rate = this.opts.rate, make: () => FindRequest = () => this.request()): Arrival[] {
    const out: Arrival[] = [];
    let t = 0;
    for (;;) {
      t += (-Math.log(1 - this.rng()) / rate) * 1000;
      if (t >= durationMs) return out;
      out.push({ atMs: t, request: make() });
    }
  }
}
