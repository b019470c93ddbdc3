/**
 * npm run bench:matcher -- [--rate 2000] [--duration 20] [--pool 10000] [--window 100] [--seed 1]
 *   [--throughput 10] [--batch 2000]
 *
 * Drives the real matcher (Matchmaker: Redis store + Lua scripts + engine + window loop)
 * against the real Redis with a recording session port, ES-MM against the FIFO baseline on
 * the same seeded arrival trace, and prints a table (and writes bench/results/matcher.json
 * and bench/results/matcher-time-to-match.svg).
 *
 *   pairs/s sustained (engine only): `--batch` arrivals are enqueued as fast as possible
 *     before each window (not timed); pairs committed / time spent in windows (mirror sync +
 *     engine + claim + commit), over `--throughput` seconds per engine.
 *   time to match at `--pool` waiting: the pool holds `--pool` "niche" users (one interest
 *     nobody shares, no language: ES-MM accepts a partner for them only in bucket D), aged
 *     0–6 s at the start and replenished by Poisson niche arrivals at pool/6 s, so ES-MM
 *     really works with ~`--pool` waiting throughout. Regular users (Zipf interests over 200
 *     tags, 0–5 each, 20% none, a few languages) arrive Poisson at `--rate`/s for `--duration`
 *     s with the window loop at `--window` ms; time to match = commit - enqueue, regular
 *     users only. FIFO gets exactly the same trace (its pool never grows: it pairs everyone).
 *   similarity: mean Jaccard of pairs that include a regular user; share of tagged regular
 *     users whose partner shares an interest.
 *   double pairs / lost tickets over both phases; Redis memory per waiting ticket = MEMORY
 *     USAGE of all matcher keys after `--pool` regular tickets were enqueued, / `--pool`.
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import type { MatchedPair, PairSink } from '../src/core/pairing.js';
import { FIFO, createEsmmEngine, jaccard, type MatchEngine } from '../src/matcher/engine.js';
import type { FindRequest } from '../src/matcher/ports.js';
import { createRng } from '../src/matcher/rng.js';
import { makeRules } from '../src/matcher/rules.js';
import { Matchmaker } from '../src/matcher/service.js';
import { ticketFromRequest, type EngineTicket } from '../src/matcher/ticket.js';
import { ArrivalGenerator } from './lib/arrivals.js';
import { fmt, numberArg, parseArgs, summarize, type Summary } from './lib/stats.js';
import { timeToMatchSvg } from './lib/svg.js';
import { buildTrace, type Trace } from './lib/trace.js';

const args = parseArgs(process.argv.slice(2));
const opts = {
  rate: numberArg(args, 'rate', 2000, 1, 50_000),
  durationS: numberArg(args, 'duration', 20, 1, 600),
  pool: numberArg(args, 'pool', 10_000, 0, 200_000),
  windowMs: numberArg(args, 'window', 100, 20, 1000),
  seed: numberArg(args, 'seed', 1, 0, 2 ** 32 - 1),
  throughputS: numberArg(args, 'throughput', 10, 1, 600),
  batch: numberArg(args, 'batch', 2000, 10, 100_000),
};
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DRAIN_MS = 7000; // bucket D's edge (6 s) + margin: everyone compatible is paired by then
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (msg: string) => process.stderr.write(`[bench:matcher] ${msg}\n`);

class Recorder implements PairSink {
  readonly pairs: MatchedPair[] = [];
  timeouts = 0;
  onPair(pair: MatchedPair): Promise<void> {
    this.pairs.push(pair);
    return Promise.resolve();
  }
  onSearchTimeout(): Promise<void> {
    this.timeouts++;
    return Promise.resolve();
  }
}

async function dropPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.unlink(...keys);
  } while (cursor !== '0');
}

async function enqueueAll(m: Matchmaker, requests: readonly FindRequest[], enqueuedAt: Map<string, number>): Promise<void> {
  for (let i = 0; i < requests.length; i += 1000) {
    await Promise.all(
      requests.slice(i, i + 1000).map(async (r) => {
        const res = await m.enqueue(r);
        if (res.status !== 'queued') throw new Error(`enqueue ${r.userId}: ${res.status}`);
        enqueuedAt.set(r.userId, res.enqueuedAt);
      }),
    );
  }
}

interface Integrity {
  readonly doublePairs: number;
  readonly lostTickets: number;
  readonly stillWaiting: number;
}

/** Every enqueued user is paired once or still waiting in Redis; nobody is in two pairs. */
async function integrity(m: Matchmaker, pairs: readonly MatchedPair[], enqueued: Iterable<string>): Promise<Integrity> {
  const seen = new Set<string>();
  let doublePairs = 0;
  for (const p of pairs) {
    for (const u of [p.userA, p.userB]) {
      if (seen.has(u) || p.userA === p.userB) doublePairs++;
      seen.add(u);
    }
  }
  const waiting = new Set(await m.store.redis.zrange(m.store.keys.pool, 0, -1));
  let lostTickets = 0;
  for (const u of enqueued) if (!seen.has(u) && !waiting.has(u)) lostTickets++;
  return { doublePairs, lostTickets, stillWaiting: waiting.size };
}

// ---- phase 1: throughput ---------------------------------------------------------------

interface ThroughputResult {
  readonly pairs: number;
  readonly windowSeconds: number;
  readonly wallSeconds: number;
  readonly pairsPerSecond: number;
  readonly endToEndPairsPerSecond: number;
  readonly meanWaiting: number;
  readonly windowMs: Summary;
  readonly integrity: Integrity;
}

async function throughput(engine: MatchEngine): Promise<ThroughputResult> {
  const redis = new Redis(redisUrl);
  const prefix = `bench:${randomUUID()}`;
  const sink = new Recorder();
  const m = new Matchmaker({ redis, prefix, sink, engine, seed: opts.seed, windowMs: opts.windowMs, exclusive: false });
  const gen = new ArrivalGenerator({ seed: opts.seed + 1, rate: 1 });
  const enqueuedAt = new Map<string, number>();
  let windowTime = 0;
  const windowTimes: number[] = [];
  const waiting: number[] = [];
  const started = performance.now();
  while (performance.now() - started < opts.throughputS * 1000) {
    await enqueueAll(m, Array.from({ length: opts.batch }, () => gen.request()), enqueuedAt);
    const t0 = performance.now();
    const report = await m.runWindow();
    const dt = performance.now() - t0;
    windowTime += dt;
    windowTimes.push(dt);
    waiting.push(report.waiting);
  }
  const wall = (performance.now() - started) / 1000;
  const check = await integrity(m, sink.pairs, enqueuedAt.keys());
  await dropPrefix(redis, prefix);
  await redis.quit();
  return {
    pairs: sink.pairs.length,
    windowSeconds: windowTime / 1000,
    wallSeconds: wall,
    pairsPerSecond: sink.pairs.length / (windowTime / 1000),
    endToEndPairsPerSecond: sink.pairs.length / wall,
    meanWaiting: waiting.reduce((a, b) => a + b, 0) / Math.max(1, waiting.length),
    windowMs: summarize(windowTimes),
    integrity: check,
  };
}

// ---- phase 2: memory per waiting ticket ------------------------------------------------

/**
 * Bytes of Redis per waiting ticket: MEMORY USAGE (exact, SAMPLES 0) of every key of a fresh
 * prefix after enqueueing `requests`, divided by their number. (INFO used_memory deltas are
 * useless on a Redis shared with other test runs.)
 */
async function memoryPerTicket(requests: readonly FindRequest[]): Promise<number> {
  const redis = new Redis(redisUrl);
  const prefix = `bench:${randomUUID()}`;
  const m = new Matchmaker({ redis, prefix, sink: new Recorder() });
  await enqueueAll(m, requests, new Map());
  let bytes = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) bytes += Number(await redis.memory('USAGE', key, 'SAMPLES', 0));
  } while (cursor !== '0');
  await dropPrefix(redis, prefix);
  await redis.quit();
  return bytes / requests.length;
}

// ---- phase 3: latency with a large pool ----------------------------------------------------

interface LatencyResult {
  readonly regularArrivals: number;
  readonly pairs: number;
  readonly timeToMatch: Summary;
  readonly timeToMatchUntagged: Summary;
  readonly timeToMatchTagged: Summary;
  readonly ttmSamples: number[];
  readonly unmatchedRegular: number;
  readonly meanSimilarity: number;
  readonly sharedInterestShare: number;
  readonly waiting: { readonly mean: number; readonly min: number; readonly max: number };
  readonly windowCpuMs: Summary;
  readonly windowCpuMsAtPool: Summary;
  readonly windowTotalMs: Summary;
  readonly tickGapMs: Summary;
  readonly producerLagMs: Summary;
  readonly integrity: Integrity;
}

/** Starts the producer child (bench/lib/producer.ts) on `prefix`; resolves once it is ready. */
async function startProducer(prefix: string): Promise<{ go: () => void; done: Promise<{ lagMs: Summary }> }> {
  const child = fork(new URL('./lib/producer.ts', import.meta.url), [prefix, JSON.stringify(traceOptions)], {
    execArgv: ['--import', 'tsx'],
    cwd: new URL('..', import.meta.url),
  });
  const messages: unknown[] = [];
  const waiters: ((m: unknown) => void)[] = [];
  child.on('message', (m) => {
    const w = waiters.shift();
    if (w) w(m);
    else messages.push(m);
  });
  const nextMessage = () =>
    new Promise<unknown>((resolve, reject) => {
      const m = messages.shift();
      if (m !== undefined) return resolve(m);
      waiters.push(resolve);
      child.once('exit', (code) => reject(new Error(`producer exited with ${code}`)));
    });
  await nextMessage(); // { ready: true }
  return { go: () => child.send('start'), done: nextMessage() as Promise<{ lagMs: Summary }> };
}

async function latency(engine: MatchEngine, trace: Trace): Promise<LatencyResult> {
  const redis = new Redis(redisUrl);
  const prefix = `bench:${randomUUID()}`;
  const sink = new Recorder();
  const m = new Matchmaker({ redis, prefix, sink, engine, seed: opts.seed, windowMs: opts.windowMs });
  const interests = new Map<string, readonly string[]>();
  for (const b of trace.backlog) interests.set(b.request.userId, b.request.interests ?? []);
  for (const a of trace.arrivals) interests.set(a.request.userId, a.request.interests ?? []);
  const enqueuedAt = new Map<string, number>();

  const producer = await startProducer(prefix);
  // The waiting pool at the start, aged 0–6 s (a producer whose clock hands out the ages).
  const ages = trace.backlog.map((b) => b.ageMs);
  let k = 0;
  const backdated = new Matchmaker({ redis, prefix, sink, clock: () => Date.now() - (ages[k++] ?? 0) });
  await enqueueAll(backdated, trace.backlog.map((b) => b.request), enqueuedAt);

  const reports: { waiting: number; cpuMs: number; totalMs: number }[] = [];
  const runWindow = m.runWindow.bind(m);
  m.runWindow = async () => {
    const r = await runWindow();
    reports.push({ waiting: r.waiting, cpuMs: r.cpuMs, totalMs: r.totalMs });
    return r;
  };
  m.start();
  // Let the first window load the pool (a full evaluation) before the clock starts.
  while (reports.length < 2) await sleep(5);
  const samples: number[] = [];
  const sampler = setInterval(() => samples.push(m.metrics().waiting), 100);
  producer.go();
  const { lagMs } = await producer.done;
  const arrivals = trace.arrivals;
  for (const a of arrivals) enqueuedAt.set(a.request.userId, 0);
  clearInterval(sampler);
  const regular = arrivals.filter((a) => !trace.niche.has(a.request.userId)).map((a) => a.request.userId);
  const matched = () => sink.pairs.length; // cheap progress signal
  const drainUntil = performance.now() + DRAIN_MS;
  const paired = new Set<string>();
  let seen = 0;
  while (performance.now() < drainUntil) {
    for (; seen < matched(); seen++) {
      paired.add(sink.pairs[seen]!.userA);
      paired.add(sink.pairs[seen]!.userB);
    }
    if (regular.every((u) => paired.has(u))) break;
    await sleep(50);
  }
  await m.stop();

  const ttm = new Map<string, number>();
  for (const p of sink.pairs) {
    ttm.set(p.userA, p.waitedMsA);
    ttm.set(p.userB, p.waitedMsB);
  }
  const all: number[] = [];
  const untagged: number[] = [];
  const tagged: number[] = [];
  let unmatched = 0;
  for (const id of regular) {
    const t = ttm.get(id);
    if (t === undefined) {
      unmatched++;
      continue;
    }
    all.push(t);
    ((interests.get(id) ?? []).length === 0 ? untagged : tagged).push(t);
  }
  let simSum = 0;
  let simPairs = 0;
  let taggedUsers = 0;
  let taggedShared = 0;
  for (const p of sink.pairs) {
    const aRegular = !trace.niche.has(p.userA) && interests.has(p.userA);
    const bRegular = !trace.niche.has(p.userB) && interests.has(p.userB);
    if (!aRegular && !bRegular) continue;
    const a = interests.get(p.userA) ?? [];
    const b = interests.get(p.userB) ?? [];
    const j = jaccard(a, b);
    simSum += j;
    simPairs++;
    for (const [x, isRegular] of [[a, aRegular], [b, bRegular]] as const) {
      if (!isRegular || x.length === 0) continue;
      taggedUsers++;
      if (j > 0) taggedShared++;
    }
  }
  const check = await integrity(m, sink.pairs, enqueuedAt.keys());
  const atPool = reports.filter((r) => r.waiting >= 0.9 * opts.pool);
  const intervals = m.metrics().tickIntervalsMs;
  await dropPrefix(redis, prefix);
  await redis.quit();
  return {
    regularArrivals: regular.length,
    pairs: sink.pairs.length,
    timeToMatch: summarize(all),
    timeToMatchUntagged: summarize(untagged),
    timeToMatchTagged: summarize(tagged),
    ttmSamples: all,
    unmatchedRegular: unmatched,
    meanSimilarity: simSum / Math.max(1, simPairs),
    sharedInterestShare: taggedShared / Math.max(1, taggedUsers),
    waiting: {
      mean: samples.reduce((x, y) => x + y, 0) / Math.max(1, samples.length),
      min: Math.min(...samples),
      max: Math.max(...samples),
    },
    windowCpuMs: summarize(reports.map((r) => r.cpuMs)),
    windowCpuMsAtPool: summarize(atPool.map((r) => r.cpuMs)),
    windowTotalMs: summarize(reports.map((r) => r.totalMs)),
    tickGapMs: summarize(intervals),
    producerLagMs: lagMs,
    integrity: check,
  };
}

// ---- phase 3: pure engine CPU per window at exactly `pool` waiting -----------------------

/** ES-MM engine alone: a settled pool of `pool` tickets plus one window of arrivals. */
function engineAtPool(): { cpuMs: Summary; dirty: number; evaluated: number } {
  const rules = makeRules();
  const gen = new ArrivalGenerator({ seed: opts.seed + 7, rate: opts.rate });
  const now = 1_000_000;
  // Settle a pool: run full windows until it has `pool` waiting tickets nobody accepts.
  let pool: EngineTicket[] = [];
  const rng = createRng(opts.seed);
  const engine = createEsmmEngine();
  let t = 0;
  while (pool.length < opts.pool) {
    const add: EngineTicket[] = Array.from({ length: Math.min(5000, opts.pool * 2) }, () =>
      ticketFromRequest(gen.request(), now - 500 + (t++ % 400)),
    );
    const all = [...pool, ...add];
    const r = engine.window(all, now, rng, rules);
    const gone = new Set(r.pairs.flatMap((p) => [p.a, p.b]));
    const moved = new Map(r.moves.map((mv) => [mv.userId, mv.to]));
    pool = all.filter((x) => !gone.has(x.userId)).map((x) => ({ ...x, bucket: moved.get(x.userId) ?? x.bucket }));
  }
  pool = pool.slice(0, opts.pool);
  const perWindow = Math.max(1, Math.round((opts.rate * opts.windowMs) / 1000));
  const cpu: number[] = [];
  let dirty = 0;
  let evaluated = 0;
  for (let i = 0; i < 30; i++) {
    const arrivals = Array.from({ length: perWindow }, () => ticketFromRequest(gen.request(), now));
    const c0 = process.cpuUsage();
    const r = engine.window([...pool, ...arrivals], now, rng, rules);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    dirty = r.stats.dirty;
    evaluated = r.stats.evaluated;
  }
  return { cpuMs: summarize(cpu.slice(5)), dirty, evaluated };
}

// ---- run ---------------------------------------------------------------------------------

const startedAt = Date.now();
log(`options ${JSON.stringify(opts)}`);
const traceOptions = { seed: opts.seed, rate: opts.rate, durationS: opts.durationS, pool: opts.pool, windowMs: opts.windowMs };
const trace: Trace = buildTrace(traceOptions);
const memoryRequests = trace.memoryRequests;
log(
  `trace: ${opts.pool} niche users waiting + ${trace.nicheCount} niche and ${trace.regularCount} regular Poisson arrivals over ${opts.durationS} s`,
);

const results = {} as Record<'fifo' | 'esmm', { throughput: ThroughputResult; latency: LatencyResult; memory: number }>;
for (const make of [() => FIFO, createEsmmEngine]) {
  const engine = make();
  log(`${engine.name}: throughput (${opts.throughputS} s, ${opts.batch} arrivals per window)`);
  const tp = await throughput(make());
  log(`${engine.name}: ${fmt(tp.pairsPerSecond, 0)} pairs/s in windows, mean waiting ${fmt(tp.meanWaiting, 0)}`);
  const memory = await memoryPerTicket(memoryRequests);
  log(`${engine.name}: latency (${opts.pool} waiting, regular arrivals ${opts.rate}/s for ${opts.durationS} s, window ${opts.windowMs} ms)`);
  const lat = await latency(engine, trace);
  log(`${engine.name}: time to match p50 ${fmt(lat.timeToMatch.p50)} ms, mean waiting ${fmt(lat.waiting.mean, 0)}`);
  results[engine.name] = { throughput: tp, latency: lat, memory };
}
log('engine alone at the pool size');
const engineCpu = engineAtPool();

const f = results.fifo;
const e = results.esmm;
const ratio = (a: number, b: number, d = 2) => (Number.isFinite(a / b) && b !== 0 ? `${fmt(a / b, d)}×` : 'n/a');
const ttmCell = (s: Summary) => `${fmt(s.p50, 0)} / ${fmt(s.p99, 0)} / ${fmt(s.max, 0)} ms`;
const rows: [string, string, string, string][] = [
  [
    'pairs/s sustained (engine only, arrivals as fast as possible)',
    fmt(f.throughput.pairsPerSecond, 0),
    fmt(e.throughput.pairsPerSecond, 0),
    ratio(e.throughput.pairsPerSecond, f.throughput.pairsPerSecond),
  ],
  [
    `time to match p50 / p99 / max at ${opts.pool.toLocaleString('en')} waiting (regular users)`,
    ttmCell(f.latency.timeToMatch),
    ttmCell(e.latency.timeToMatch),
    `p50 ${ratio(e.latency.timeToMatch.p50, f.latency.timeToMatch.p50)}`,
  ],
  [
    '  … untagged users only',
    ttmCell(f.latency.timeToMatchUntagged),
    ttmCell(e.latency.timeToMatchUntagged),
    `p50 ${ratio(e.latency.timeToMatchUntagged.p50, f.latency.timeToMatchUntagged.p50)}`,
  ],
  [
    'mean interest similarity of pairs (Jaccard)',
    fmt(f.latency.meanSimilarity, 3),
    fmt(e.latency.meanSimilarity, 3),
    ratio(e.latency.meanSimilarity, f.latency.meanSimilarity),
  ],
  [
    'share of tagged users paired with a shared interest',
    `${fmt(100 * f.latency.sharedInterestShare)}%`,
    `${fmt(100 * e.latency.sharedInterestShare)}%`,
    ratio(e.latency.sharedInterestShare, f.latency.sharedInterestShare),
  ],
  [
    'double pairs / lost tickets',
    `${f.latency.integrity.doublePairs + f.throughput.integrity.doublePairs} / ${f.latency.integrity.lostTickets + f.throughput.integrity.lostTickets}`,
    `${e.latency.integrity.doublePairs + e.throughput.integrity.doublePairs} / ${e.latency.integrity.lostTickets + e.throughput.integrity.lostTickets}`,
    '',
  ],
  [
    'Redis memory per waiting ticket',
    `${fmt(f.memory, 0)} B`,
    `${fmt(e.memory, 0)} B`,
    ratio(e.memory, f.memory),
  ],
];
const extra: [string, string, string, string][] = [
  [
    'waiting during the latency run (mean / min / max)',
    `${fmt(f.latency.waiting.mean, 0)} / ${f.latency.waiting.min} / ${f.latency.waiting.max}`,
    `${fmt(e.latency.waiting.mean, 0)} / ${e.latency.waiting.min} / ${e.latency.waiting.max}`,
    '',
  ],
  [
    'window CPU ms p50 / p99 (whole latency run)',
    `${fmt(f.latency.windowCpuMs.p50)} / ${fmt(f.latency.windowCpuMs.p99)}`,
    `${fmt(e.latency.windowCpuMs.p50)} / ${fmt(e.latency.windowCpuMs.p99)}`,
    '',
  ],
  [
    `window CPU ms p50 / p99 while ≥ ${Math.round(0.9 * opts.pool).toLocaleString('en')} waiting`,
    f.latency.windowCpuMsAtPool.n ? `${fmt(f.latency.windowCpuMsAtPool.p50)} / ${fmt(f.latency.windowCpuMsAtPool.p99)}` : 'never that many',
    e.latency.windowCpuMsAtPool.n
      ? `${fmt(e.latency.windowCpuMsAtPool.p50)} / ${fmt(e.latency.windowCpuMsAtPool.p99)} (${e.latency.windowCpuMsAtPool.n} windows)`
      : 'never that many',
    '',
  ],
  [
    `ES-MM engine alone, CPU ms per window at ${opts.pool.toLocaleString('en')} waiting + ${Math.round((opts.rate * opts.windowMs) / 1000)} arrivals (p50 / p99)`,
    '',
    `${fmt(engineCpu.cpuMs.p50)} / ${fmt(engineCpu.cpuMs.p99)}`,
    '',
  ],
  [
    'window tick gap p50 / p99 / max (target window)',
    `${fmt(f.latency.tickGapMs.p50)} / ${fmt(f.latency.tickGapMs.p99)} / ${fmt(f.latency.tickGapMs.max)} ms`,
    `${fmt(e.latency.tickGapMs.p50)} / ${fmt(e.latency.tickGapMs.p99)} / ${fmt(e.latency.tickGapMs.max)} ms`,
    '',
  ],
  [
    '  … tagged regular users: time to match p50 / p99 / max',
    ttmCell(f.latency.timeToMatchTagged),
    ttmCell(e.latency.timeToMatchTagged),
    '',
  ],
  [
    'producer lag behind the trace p50 / p99 (ms)',
    `${fmt(f.latency.producerLagMs.p50)} / ${fmt(f.latency.producerLagMs.p99)}`,
    `${fmt(e.latency.producerLagMs.p50)} / ${fmt(e.latency.producerLagMs.p99)}`,
    '',
  ],
  [
    'regular arrivals not matched by the end of the drain',
    String(f.latency.unmatchedRegular),
    String(e.latency.unmatchedRegular),
    '',
  ],
];

const table = [
  '| metric | FIFO | ES-MM | ratio |',
  '|---|---|---|---|',
  ...rows.map((r) => `| ${r.join(' | ')} |`),
  '',
  '| more | FIFO | ES-MM | |',
  '|---|---|---|---|',
  ...extra.map((r) => `| ${r.join(' | ')} |`),
].join('\n');
console.log(
  `\nES-MM vs FIFO — ${opts.pool.toLocaleString('en')} waiting, regular arrivals Poisson ${opts.rate}/s for ${opts.durationS} s, ` +
    `window ${opts.windowMs} ms, seed ${opts.seed}\n`,
);
console.log(table);

const goals = {
  pairsPerSecond: { goal: '>= 10000', value: e.throughput.pairsPerSecond, met: e.throughput.pairsPerSecond >= 10_000 },
  untaggedP50: { goal: '<= 120 ms', value: e.latency.timeToMatchUntagged.p50, met: e.latency.timeToMatchUntagged.p50 <= 120 },
  untaggedP99: { goal: '<= 250 ms', value: e.latency.timeToMatchUntagged.p99, met: e.latency.timeToMatchUntagged.p99 <= 250 },
  windowCpuAtPool: { goal: '<= 20 ms', value: engineCpu.cpuMs.p99, met: engineCpu.cpuMs.p99 <= 20 },
  memoryPerTicket: { goal: '<= 1024 B', value: e.memory, met: e.memory <= 1024 },
  similarity: {
    goal: '>= 2x FIFO at <= 1.5x FIFO median wait',
    value: e.latency.meanSimilarity / f.latency.meanSimilarity,
    medianWaitRatio: e.latency.timeToMatch.p50 / f.latency.timeToMatch.p50,
    met: e.latency.meanSimilarity >= 2 * f.latency.meanSimilarity && e.latency.timeToMatch.p50 <= 1.5 * f.latency.timeToMatch.p50,
  },
  integrity: {
    goal: '0 double pairs, 0 lost tickets',
    met: [f, e].every(
      (x) =>
        x.latency.integrity.doublePairs + x.throughput.integrity.doublePairs + x.latency.integrity.lostTickets + x.throughput.integrity.lostTickets === 0,
    ),
  },
};
console.log('\ngoals:');
for (const [k, g] of Object.entries(goals)) console.log(`  ${g.met ? 'met    ' : 'not met'}  ${k} (${g.goal})`);

const outDir = new URL('./results/', import.meta.url);
mkdirSync(outDir, { recursive: true });
const strip = (l: LatencyResult) => ({ ...l, ttmSamples: undefined });
writeFileSync(
  new URL('matcher.json', outDir),
  JSON.stringify(
    {
      options: opts,
      startedAt: new Date(startedAt).toISOString(),
      seconds: (Date.now() - startedAt) / 1000,
      trace: { waitingAtStart: trace.backlog.length, regularArrivals: trace.regularCount, nicheArrivals: trace.nicheCount },
      fifo: { throughput: f.throughput, latency: strip(f.latency) },
      esmm: { throughput: e.throughput, latency: strip(e.latency) },
      engineAtPool: engineCpu,
      goals,
      table,
    },
    null,
    2,
  ),
);
writeFileSync(
  new URL('matcher-time-to-match.svg', outDir),
  timeToMatchSvg(
    [
      { name: 'FIFO', color: '#888888', samples: f.latency.ttmSamples },
      { name: 'ES-MM', color: '#1f77b4', samples: e.latency.ttmSamples },
    ],
    `Time to match of regular users, ${opts.pool.toLocaleString('en')} waiting, ${opts.rate}/s, window ${opts.windowMs} ms`,
  ),
);
log(`wrote bench/results/matcher.json and bench/results/matcher-time-to-match.svg in ${fmt((Date.now() - startedAt) / 1000, 0)} s`);
