import { describe, expect, it } from 'vitest';
import { esmmWindow, fifoWindow, jaccard, pairScore, rebalance } from '../../../src/matcher/engine.js';
import { createRng } from '../../../src/matcher/rng.js';
import { DEFAULT_RULES, bucketOf, makeRules } from '../../../src/matcher/rules.js';
import { NOW, tk } from './fixtures.js';

const rules = makeRules();
const run = (tickets: Parameters<typeof esmmWindow>[0], now = NOW, seed = 1) => esmmWindow(tickets, now, createRng(seed), rules);
const pairsOf = (r: ReturnType<typeof run>) => r.pairs.map((p) => [p.a, p.b].sort().join('+')).sort();

describe('scores and buckets', () => {
  it('Jaccard plus language agreement', () => {
    expect(jaccard(['a', 'b'], ['b', 'c'])).toBeCloseTo(1 / 3);
    expect(jaccard([], ['a'])).toBe(0);
    expect(pairScore(tk('x', 0, { interests: ['a'], language: 'en' }), tk('y', 0, { interests: ['a'], language: 'en' }), rules)).toBe(1.25);
    expect(pairScore(tk('x', 0, { language: 'en' }), tk('y', 0, {}), rules)).toBe(0);
  });

  it('buckets by wait: A 0–1 s, B 1–3 s, C 3–6 s, D 6 s+', () => {
    expect([0, 999, 1000, 2999, 3000, 5999, 6000, 600_000].map((w) => bucketOf(rules, w))).toEqual([
      'A', 'A', 'B', 'B', 'C', 'C', 'D', 'D',
    ]);
    expect(bucketOf(makeRules({ bucketEdgesMs: [10, 20, 30] }), 25)).toBe('C');
  });

  it('rules are validated', () => {
    expect(() => makeRules({ bucketEdgesMs: [3, 2, 1] })).toThrow(RangeError);
    expect(() => makeRules({ minScore: { A: 0.1, B: 0.5 } })).toThrow(RangeError);
    expect(makeRules({ languageWeight: 0.5 }).minScore).toEqual(DEFAULT_RULES.minScore);
  });
});

describe('ES-MM window', () => {
  it('new tickets get their bucket as moves; nothing changes in the next window until a bucket edge', () => {
    const a = tk('a', 0, { interests: ['x'] });
    const b = tk('b', 0, { interests: ['y'] });
    const first = run([a, b]);
    expect(first.pairs).toEqual([]);
    expect(first.moves).toEqual([
      { userId: 'a', from: undefined, to: 'A' },
      { userId: 'b', from: undefined, to: 'A' },
    ]);
    const again = run([{ ...a, bucket: 'A' }, { ...b, bucket: 'A' }], NOW + 500);
    expect(again.moves).toEqual([]);
    expect(again.stats.dirty).toBe(0);
  });

  // Relaxation order: the minimum score falls with the chooser's bucket.
  const relaxation: [string, Parameters<typeof tk>[2], Parameters<typeof tk>[2], number, number][] = [
    // [case, ticket x, ticket y, age where not yet paired, age where paired]
    ['strong (J 0.5) pairs in A', { interests: ['a', 'b'] }, { interests: ['a'] }, -1, 0],
    ['strong (J 0.25 + same language) pairs in A', { interests: ['a', 'b', 'c'], language: 'en' }, { interests: ['a', 'd'], language: 'en' }, -1, 0],
    ['partial (J 0.2 + same language = 0.45) waits for B', { interests: ['a', 'b', 'c'], language: 'en' }, { interests: ['a', 'd', 'e'], language: 'en' }, 999, 1000],
    ['partial (J 0.4, no language) waits for B', { interests: ['a', 'b'] }, { interests: ['a', 'b', 'c', 'd', 'e'] }, 999, 1000],
    ['weak (J 1/3, no language) waits for C', { interests: ['a', 'b'] }, { interests: ['b', 'c'] }, 2999, 3000],
    ['language only waits for C', { interests: ['a'], language: 'es' }, { interests: ['b'], language: 'es' }, 2999, 3000],
    ['nothing shared waits for D', { interests: ['a'], language: 'en' }, { interests: ['b'], language: 'es' }, 5999, 6000],
  ];
  it.each(relaxation)('%s', (_name, x, y, notYet, paired) => {
    if (notYet >= 0) expect(run([tk('x', notYet, x), tk('y', notYet, y)]).pairs).toEqual([]);
    expect(pairsOf(run([tk('x', paired, x), tk('y', paired, y)]))).toEqual(['x+y']);
  });

  it('a ticket without interests matches anyone who accepts it from bucket A on', () => {
    expect(pairsOf(run([tk('u1', 0), tk('u2', 0)]))).toEqual(['u1+u2']);
    // A fresh tagged user is not grabbed by a fresh untagged one...
    expect(run([tk('u', 0), tk('t', 0, { interests: ['chess'] })]).pairs).toEqual([]);
    // ...but yields to someone who has waited longer (here the untagged one is in B).
    expect(pairsOf(run([tk('u', 1500), tk('t', 0, { interests: ['chess'] })]))).toEqual(['t+u']);
  });

  it('each chooser takes the best available partner; ties go to the longest waiter', () => {
    const r = run([
      tk('c', 0, { interests: ['a', 'b'], language: 'en' }),
      tk('half', 50, { interests: ['a', 'z'], language: 'en' }),
      tk('full-young', 10, { interests: ['a', 'b'], language: 'en' }),
      tk('full-old', 20, { interests: ['a', 'b'], language: 'en' }),
    ]);
    // Whoever chooses first, nobody settles for less than what is still available.
    expect(r.pairs).toHaveLength(2);
    const cPair = r.pairs.find((p) => p.a === 'c' || p.b === 'c')!;
    expect(cPair.score).toBe(1.25);
    const tie = run([tk('c', 5000, { language: 'en' }), tk('y1', 100, { language: 'en' }), tk('y2', 200, { language: 'en' })]);
    expect(pairsOf(tie)).toEqual(['c+y2']);
  });

  it('older buckets choose first: a D ticket gets the contested partner', () => {
    const r = run([
      tk('fresh', 100, { interests: ['a'], language: 'en' }),
      tk('older', 6500, { interests: ['z'], language: 'es' }),
      tk('target', 200, { interests: ['a'], language: 'en' }),
    ]);
    // target is a perfect match for fresh, but "older" (bucket D) is served first; fresh and
    // target score the same for it (0), and the tie goes to the longer waiter, target.
    expect(r.pairs[0]).toMatchObject({ a: 'older', b: 'target', bucket: 'D' });
  });

  it('blocked, reported and recent partners never meet, whatever the wait', () => {
    const r = run([tk('a', 60_000, { avoid: ['b'] }), tk('b', 60_000)]);
    expect(r.pairs).toEqual([]);
    const r2 = run([tk('a', 60_000), tk('b', 60_000, { avoid: ['a'] }), tk('c', 0)]);
    expect(r2.pairs).toHaveLength(1);
    expect(pairsOf(r2)[0]).toContain('c');
  });

  it('priority inside a bucket: longer wait first (no jitter)', () => {
    const flat = makeRules({ priorityJitter: [1, 1] });
    const tickets = [tk('p1', 200), tk('p2', 400), tk('p3', 300)];
    const r = esmmWindow(tickets, NOW, createRng(1), flat);
    expect(r.pairs[0]?.a).toBe('p2');
  });

  it('is deterministic for a fixed seed', () => {
    const tickets = Array.from({ length: 40 }, (_, i) => tk(`t${i}`, (i * 397) % 7000, { interests: [`g${i % 5}`, `g${(i * 3) % 7}`] }));
    expect(run(tickets, NOW, 7)).toEqual(run(tickets, NOW, 7));
  });
});

describe('FIFO baseline', () => {
  it('pairs strictly in arrival order, ignoring interests, respecting avoid sets', () => {
    const tickets = [
      tk('1', 500, { interests: ['a'] }),
      tk('2', 400, { interests: ['b'] }),
      tk('3', 300, { interests: ['a'], avoid: ['4'] }),
      tk('4', 200),
      tk('5', 100),
    ];
    const r = fifoWindow(tickets, NOW, createRng(1), rules);
    expect(r.pairs.map((p) => `${p.a}+${p.b}`)).toEqual(['1+2', '3+5']);
  });
});

describe('rebalance', () => {
  it('reports bucket moves and timed-out tickets', () => {
    const r = rebalance([tk('a', 100, { bucket: 'A' }), tk('b', 4000, { bucket: 'B' }), tk('c', 600_000, { bucket: 'D' })], NOW, rules);
    expect(r.moves).toEqual([{ userId: 'b', from: 'B', to: 'C' }]);
    expect(r.expired).toEqual(['c']);
    expect(r.buckets).toEqual({ A: 1, B: 0, C: 1, D: 1 });
  });
});
