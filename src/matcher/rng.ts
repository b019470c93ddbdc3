/**
 * Seedable pseudo-random numbers for the matcher. The engine never calls Math.random:
 * a generator comes in as an argument so tests and benchmarks can replay a window exactly.
 */

/** Returns a float in [0, 1). */
export type Rng = () => number;

/** mulberry32: tiny, fast, 32-bit state; good enough for fairness jitter (not for secrets). */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit unsigned integer drawn from `rng`. */
export function nextUint32(rng: Rng): number {
  return Math.floor(rng() * 4294967296) >>> 0;
}

/**
 * A uniform float in [0, 1) derived from a 32-bit salt and a string key (FNV-1a, then the
 * murmur3 finalizer). Used to give every ticket its own priority factor per window without
 * drawing from the generator once per ticket, so the factor of a ticket does not depend on
 * which other tickets are in the window.
 */
export function hashUnit(salt: number, key: string): number {
  let h = (0x811c9dc5 ^ salt) >>> 0;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}
