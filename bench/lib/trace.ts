/**
 * The benchmark's arrival trace, built deterministically from the options, so the bench
 * process and its producer child (bench/lib/producer.ts) build exactly the same one.
 */
import type { FindRequest } from '../../src/matcher/ports.js';
import { ArrivalGenerator, type Arrival } from './arrivals.js';

export const D_EDGE_MS = 6000;

export interface TraceOptions {
  readonly seed: number;
  /** Regular arrivals per second. */
  readonly rate: number;
  readonly durationS: number;
  /** Niche users waiting at the start (and kept near that by niche arrivals). */
  readonly pool: number;
  readonly windowMs: number;
}

export interface Trace {
  /** Niche users waiting at the start, with their age (ms): spread over buckets A–C. */
  readonly backlog: readonly { readonly request: FindRequest; readonly ageMs: number }[];
  /** Regular and niche arrivals, by time. */
  readonly arrivals: readonly Arrival[];
  readonly niche: ReadonlySet<string>;
  readonly regularCount: number;
  readonly nicheCount: number;
  /** Regular users for the memory measurement (not part of the trace). */
  readonly memoryRequests: readonly FindRequest[];
}

export function buildTrace(o: TraceOptions): Trace {
  const gen = new ArrivalGenerator({ seed: o.seed, rate: o.rate });
  const durationMs = o.durationS * 1000;
  const backlog = Array.from({ length: o.pool }, (_, i) => ({
    request: gen.niche(),
    ageMs: ((D_EDGE_MS - 2 * o.windowMs) * i) / Math.max(1, o.pool),
  }));
  const regular = gen.trace(durationMs);
  // Niche users leave the pool in bucket D, 6 s after arriving: pool / 6 s keeps it steady.
  const niche = o.pool > 0 ? gen.trace(durationMs, (o.pool * 1000) / D_EDGE_MS, () => gen.niche()) : [];
  const memoryRequests = Array.from({ length: Math.max(1000, o.pool) }, () => gen.request());
  return {
    backlog,
    arrivals: [...regular, ...niche].sort((a, b) => a.atMs - b.atMs),
    niche: new Set([...backlog.map((b) => b.request.userId), ...niche.map((a) => a.request.userId)]),
    regularCount: regular.length,
    nicheCount: niche.length,
    memoryRequests,
  };
}
