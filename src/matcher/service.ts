/**
 * Matchmaker: the ES-MM matcher service. Owns the Redis pool (store.ts), an in-memory mirror
 * of it, the pure engine (engine.ts) and the window loop.
 *
 * One window: sync the mirror from the pool-change log -> engine.window(tickets, now, rng,
 * rules) -> claim.lua (both tickets of each proposed pair, with an expiring token) ->
 * commit.lua (both users chatting, partner map, recent partners) -> PairSink.onPair.
 * Safety never depends on there being one matcher: claim and commit are atomic and checked,
 * so several matchers on one pool can at worst lose races (their tickets stay waiting).
 *
 * Tick loop: an in-process timer guarded by a Redis lease, not a BullMQ job scheduler.
 * Measured on the 2-core dev box against the real Redis (bench/tick-jitter.ts, 20 s each):
 *   - BullMQ upsertJobScheduler({ every: 100 }) + Worker: gap between jobs p50 101 ms,
 *     p99 202 ms, max 204 ms: now and then a tick comes one whole interval late (the next
 *     job is produced when the previous one is processed and waits in the delayed set).
 *     With every: 50 it is p50 50, p99 106, max 140 ms: the same one-interval slips.
 *   - setTimeout loop with drift compensation and the lease renewed each tick: p50 100 ms,
 *     p99 103.8 ms, max 107 ms (with every: 50 -> p99 57.8 ms).
 * The goal is p50 ≤ 120 ms / p99 ≤ 250 ms time to match: a tick that can slip by 100+ ms eats
 * the whole p99 budget, so windows run in-process. The lease (lease.lua, renewed every tick,
 * ttl ≥ 1 s) keeps one matcher active at a time for efficiency; if it dies, another takes
 * over when the lease expires. Rebalancing and housekeeping are not latency-critical: they
 * run from BullMQ job schedulers (src/jobs/matcher-schedulers.ts) calling rebalance() and
 * housekeep().
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { UserError } from '../core/errors.js';
import type { Log } from '../core/log.js';
import type { LivePair, MatchedPair, PairSink, SearchRequest, SearchResult } from '../core/pairing.js';
import type { SessionId, UserId, UserStatus } from '../core/types.js';
import type { MatchEngine, ProposedPair, WindowStats } from './engine.js';
import { createEsmmEngine, rebalance as rebalanceTickets } from './engine.js';
import type { Rng } from './rng.js';
import { createRng } from './rng.js';
import type { Bucket, MatchRules, RulesOverride } from './rules.js';
import { makeRules } from './rules.js';
import type { PairCode } from './store.js';
import { FOREVER_MS, PoolStore } from './store.js';
import type { CancelResult, EnqueueResult, FindRequest, Matchmaking, PartnerInfo } from './ports.js';
import type { Ticket } from './ticket.js';
import { decodeTicket, ticketFromRequest } from './ticket.js';

export const MATCH_WINDOW_MS_DEFAULT = 100;
export const MATCH_WINDOW_MS_MIN = 20;
export const MATCH_WINDOW_MS_MAX = 1000;

/** A committed pair proposed with its session id. */
export interface CommittingPair extends ProposedPair {
  readonly sessionId: SessionId;
}

export interface MatchmakerHooks {
  /**
   * Test seam: runs after claim.lua and before commit.lua, with the claimed pairs. Lets the
   * race tests cancel or ban a user mid-window, or kill the process between the two phases.
   */
  readonly beforeCommit?: (pairs: readonly CommittingPair[]) => Promise<void> | void;
}

export interface MatchmakerOptions {
  readonly redis: Redis;
  /** REDIS_PREFIX; keys live under `${prefix}:mm:`. */
  readonly prefix: string;
  /**
   * The session service: onPair for each committed pair, onSearchTimeout for searches that
   * gave up. May also be given later, to start(), since the session service needs the matcher.
   */
  readonly sink?: PairSink;
  /** ES-MM by default; FIFO for the baseline. */
  readonly engine?: MatchEngine;
  /** MATCH_WINDOW_MS, 20–1000, default 100. */
  readonly windowMs?: number;
  /** SEARCH_TIMEOUT_S, default 600. */
  readonly searchTimeoutS?: number;
  readonly rules?: RulesOverride;
  /** Seed of the priority jitter; random by default. */
  readonly seed?: number;
  readonly clock?: () => number;
  readonly log?: Log;
  /** Distinguishes matchers in lease and claim tokens; random by default. */
  readonly instanceId?: string;
  /** How long a claim holds tickets between claim and commit (ms, < 5000). Default 3000. */
  readonly claimTtlMs?: number;
  /** Lease ttl (ms). Default max(1000, 10 windows). */
  readonly leaseTtlMs?: number;
  /** Run windows only while holding the lease (default true). Safety does not depend on it. */
  readonly exclusive?: boolean;
  /** Pool-change log retention (ms), default 5000. */
  readonly logRetentionMs?: number;
  readonly hooks?: MatchmakerHooks;
}

export interface WindowReport {
  readonly at: number;
  /** Tickets the engine saw. */
  readonly waiting: number;
  readonly proposed: number;
  readonly committed: number;
  /** Proposed pairs that lost a race, by reason. */
  readonly lost: Partial<Record<PairCode, number>>;
  readonly stats: WindowStats;
  /** Wall ms: mirror sync, engine, claim+commit, whole window. */
  readonly syncMs: number;
  readonly engineMs: number;
  readonly commitMs: number;
  readonly totalMs: number;
  /** CPU ms of this process during the window (user + system). */
  readonly cpuMs: number;
  readonly pairs: readonly MatchedPair[];
}

export interface RebalanceReport {
  readonly expired: UserId[];
  readonly waiting: number;
  readonly buckets: Record<Bucket, number>;
  /** Tickets whose bucket changed since the last window (the next window moves them). */
  readonly moved: number;
}

export interface MatcherMetrics {
  readonly windows: number;
  readonly pairs: number;
  readonly lostRaces: number;
  readonly resyncs: number;
  readonly waiting: number;
  readonly leader: boolean;
  readonly lastWindow: WindowReport | null;
  /** Intervals between the last window starts (ms), oldest first, up to 1000. */
  readonly tickIntervalsMs: readonly number[];
}

interface MirrorTicket extends Ticket {
  bucket: Bucket | undefined;
}

/**
 * A mirror entry, built as one object literal on purpose: `{ ...ticket, bucket }` gives
 * (nearly) every copy its own hidden class in V8 (the clone of an object with a non-Smi
 * number field such as enqueuedAt takes a slow path), which made every per-ticket loop of
 * the engine megamorphic: several times slower at 10k waiting. A literal keeps one shape.
 */
function mirrorTicket(t: Ticket): MirrorTicket {
  return {
    userId: t.userId,
    platform: t.platform,
    interests: t.interests,
    language: t.language,
    enqueuedAt: t.enqueuedAt,
    avoid: t.avoid,
    bucket: undefined,
  };
}

const silentLog: Log = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLog,
};

/**
 * Pairs per claim.lua / commit.lua call. A script blocks Redis while it runs; chunks keep
 * that short for the other clients (relay, bots), and go out pipelined on one connection.
 */
const SCRIPT_CHUNK = 256;

/** Runs `run` over chunks of `items` concurrently (one pipeline), results in order. */
async function inChunks<T, R>(items: readonly T[], run: (chunk: readonly T[]) => Promise<R[]>): Promise<R[]> {
  if (items.length <= SCRIPT_CHUNK) return run(items);
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += SCRIPT_CHUNK) chunks.push(items.slice(i, i + SCRIPT_CHUNK));
  return (await Promise.all(chunks.map(run))).flat();
}

/** `session_` + 10 lowercase hex characters. */
export const newSessionId = (): SessionId => `session_${randomBytes(5).toString('hex')}`;

/** `n` session ids from one randomBytes call (a window commits up to thousands of pairs). */
function newSessionIds(n: number): SessionId[] {
  const hex = randomBytes(5 * n).toString('hex');
  const ids: SessionId[] = new Array<SessionId>(n);
  for (let i = 0; i < n; i++) ids[i] = `session_${hex.slice(10 * i, 10 * i + 10)}`;
  return ids;
}

export class Matchmaker implements Matchmaking {
  readonly store: PoolStore;
  readonly rules: MatchRules;
  readonly windowMs: number;
  readonly engine: MatchEngine;
  readonly instanceId: string;
  private sink: PairSink | null;
  private readonly clock: () => number;
  private readonly log: Log;
  private readonly rng: Rng;
  private readonly claimTtlMs: number;
  private readonly leaseTtlMs: number;
  private readonly exclusive: boolean;
  private readonly hooks: MatchmakerHooks;

  private readonly mirror = new Map<UserId, MirrorTicket>();
  private cursor: string | null = null;
  private consumed = 0;
  private lock: Promise<unknown> = Promise.resolve();
  private windowSeq = 0;

  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private tickPromise: Promise<void> = Promise.resolve();
  private nextAt = 0;
  private lastTickAt = 0;
  private leader = false;

  private counters = { windows: 0, pairs: 0, lostRaces: 0, resyncs: 0 };
  private lastWindow: WindowReport | null = null;
  private readonly tickIntervals: number[] = [];

  constructor(options: MatchmakerOptions) {
    const windowMs = options.windowMs ?? MATCH_WINDOW_MS_DEFAULT;
    if (!(Number.isInteger(windowMs) && windowMs >= MATCH_WINDOW_MS_MIN && windowMs <= MATCH_WINDOW_MS_MAX)) {
      throw new RangeError(`windowMs must be an integer in ${MATCH_WINDOW_MS_MIN}..${MATCH_WINDOW_MS_MAX}, got ${windowMs}`);
    }
    this.windowMs = windowMs;
    this.rules = makeRules({
      ...options.rules,
      ...(options.searchTimeoutS !== undefined ? { searchTimeoutMs: options.searchTimeoutS * 1000 } : {}),
    });
    this.store = new PoolStore(
      options.redis,
      options.prefix,
      options.logRetentionMs !== undefined ? { logRetentionMs: options.logRetentionMs } : {},
    );
    this.engine = options.engine ?? createEsmmEngine();
    this.sink = options.sink ?? null;
    this.clock = options.clock ?? Date.now;
    this.log = (options.log ?? silentLog).child({ component: 'matcher', engine: this.engine.name });
    this.rng = createRng(options.seed ?? randomInt(0, 2 ** 32 - 1));
    this.instanceId = options.instanceId ?? randomUUID();
    this.claimTtlMs = options.claimTtlMs ?? 3000;
    if (!(this.claimTtlMs > 0 && this.claimTtlMs < 5000)) throw new RangeError('claimTtlMs must be in (0, 5000)');
    this.leaseTtlMs = options.leaseTtlMs ?? Math.max(1000, windowMs * 10);
    this.exclusive = options.exclusive ?? true;
    this.hooks = options.hooks ?? {};
  }

  // ---- the API the command handlers and the relay use -------------------------------

  /** /find. Validation errors (too many or too long interests, bad language) throw UserError. */
  async enqueue(request: FindRequest): Promise<EnqueueResult> {
    const now = this.clock();
    const ticket = ticketFromRequest(request, now);
    const status = await this.store.enqueue(ticket, this.rules);
    return status === 'queued' ? { status, enqueuedAt: now } : { status };
  }

  /** /stop while searching. */
  cancel(userId: UserId): Promise<CancelResult> {
    return this.store.cancel(userId);
  }

  state(userId: UserId): Promise<UserStatus> {
    return this.store.state(userId);
  }

  /** The live pair map (read on every relayed message): one HGET. */
  getPartner(userId: UserId): Promise<PartnerInfo | null> {
    return this.store.getPartner(userId);
  }

  /**
   * Ends a pair: both users offline, each only if still in `sessionId` with that partner.
   * Argument order follows core's MatchingPort; store.endPair() also says how many were reset.
   */
  async endPair(sessionId: SessionId, userA: UserId, userB: UserId): Promise<void> {
    await this.store.endPair(userA, userB, sessionId);
  }

  // MatchingPort (src/core/pairing.ts), the session side's view.

  /** /find for the session service: like enqueue(), a banned user gets UserError('banned'). */
  async search(request: SearchRequest): Promise<SearchResult> {
    const res = await this.enqueue(request);
    if (res.status === 'banned') throw new UserError('banned', 'You are not allowed to search right now.');
    return res.status;
  }

  async cancelSearch(userId: UserId): Promise<boolean> {
    return (await this.cancel(userId)) === 'cancelled';
  }

  partnerOf(userId: UserId): Promise<LivePair | null> {
    return this.getPartner(userId);
  }

  restorePair(sessionId: SessionId, userAId: UserId, userBId: UserId): Promise<void> {
    return this.store.restorePair(sessionId, userAId, userBId);
  }

  async exclude(userId: UserId): Promise<void> {
    await this.ban(userId);
  }

  /** Blocks a user from matching (until `untilMs`, or for good) and cancels a running search. */
  ban(userId: UserId, untilMs: number = FOREVER_MS): Promise<'cancelled' | 'banned'> {
    return this.store.ban(userId, untilMs);
  }

  unban(userId: UserId): Promise<void> {
    return this.store.unban(userId);
  }

  // ---- windows ----------------------------------------------------------------------

  /** Runs one window now (the loop calls this; tests and benchmarks may too). */
  async runWindow(): Promise<WindowReport> {
    const report = await this.exclusively(() => this.windowOnce());
    await this.notifyPairs(report.pairs);
    return report;
  }

  /** Rebalancing (BullMQ, every 2–3 s): time out old searches, refresh the mirror, bucket census. */
  async rebalance(): Promise<RebalanceReport> {
    const now = this.clock();
    const expired = await this.store.expire(now - this.rules.searchTimeoutMs);
    const result = await this.exclusively(async () => {
      for (const id of expired) this.mirror.delete(id);
      await this.sync();
      return rebalanceTickets(Array.from(this.mirror.values()), now, this.rules);
    });
    for (const userId of expired) {
      try {
        await this.sink?.onSearchTimeout(userId);
      } catch (err) {
        this.log.error({ err, userId }, 'search timeout notice failed');
      }
    }
    if (expired.length > 0) this.log.info({ expired: expired.length }, 'searches timed out');
    return { expired, waiting: this.mirror.size, buckets: result.buckets, moved: result.moves.length };
  }

  /** Housekeeping (BullMQ, every minute): trims the change log and drops expired bans. */
  async housekeep(): Promise<{ trimmed: number; bansExpired: number; claimsSwept: number; waiting: number }> {
    const res = await this.store.housekeep(this.clock());
    return { ...res, waiting: await this.store.poolSize() };
  }

  // ---- the loop -----------------------------------------------------------------------

  /** Starts the window loop (idempotent); `sink` replaces the one given to the constructor. */
  start(sink?: PairSink): void {
    if (sink) this.sink = sink;
    if (!this.sink) throw new Error('Matchmaker.start: no PairSink');
    if (this.running) return;
    this.running = true;
    this.nextAt = performance.now();
    this.lastTickAt = 0;
    this.schedule(0);
  }

  /** Stops the loop, waits for the window in flight, gives up the lease. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.tickPromise;
    if (this.exclusive && this.leader) {
      this.leader = false;
      try {
        await this.store.releaseLease(this.instanceId);
      } catch (err) {
        this.log.warn({ err }, 'could not release the matcher lease');
      }
    }
  }

  metrics(): MatcherMetrics {
    return {
      ...this.counters,
      waiting: this.mirror.size,
      leader: this.leader,
      lastWindow: this.lastWindow,
      tickIntervalsMs: [...this.tickIntervals],
    };
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.tickPromise = this.tick();
    }, delayMs);
  }

  private async tick(): Promise<void> {
    if (!this.running) return;
    const started = performance.now();
    if (this.lastTickAt > 0) {
      this.tickIntervals.push(started - this.lastTickAt);
      if (this.tickIntervals.length > 1000) this.tickIntervals.shift();
    }
    this.lastTickAt = started;
    try {
      this.leader = !this.exclusive || (await this.store.acquireLease(this.instanceId, this.leaseTtlMs));
      if (this.leader) await this.runWindow();
    } catch (err) {
      this.log.error({ err }, 'matcher window failed');
    }
    if (!this.running) return;
    // Fixed rate with drift compensation; after an overrun start at once, but never burst.
    this.nextAt += this.windowMs;
    const now = performance.now();
    if (this.nextAt < now) this.nextAt = now;
    this.schedule(this.nextAt - now);
  }

  // ---- internals ------------------------------------------------------------------------

  private exclusively<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  private async windowOnce(): Promise<WindowReport> {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await this.sync();
    const t1 = performance.now();
    const now = this.clock();
    const tickets = Array.from(this.mirror.values());
    const result = this.engine.window(tickets, now, this.rng, this.rules);
    for (const m of result.moves) {
      const t = this.mirror.get(m.userId);
      if (t) t.bucket = m.to;
    }
    const t2 = performance.now();
    const lost: Partial<Record<PairCode, number>> = {};
    const matched: MatchedPair[] = [];
    if (result.pairs.length > 0) {
      try {
        await this.claimAndCommit(result.pairs, lost, matched);
      } catch (err) {
        // Redis failed mid-way: report what did commit; every proposed ticket still in the
        // mirror is looked at anew next window (claims it may hold expire on their own).
        this.log.error({ err }, 'claim/commit failed');
        for (const p of result.pairs) {
          for (const id of [p.a, p.b]) {
            const t = this.mirror.get(id);
            if (t) t.bucket = undefined;
          }
        }
      }
    }
    const t3 = performance.now();
    const cpu = process.cpuUsage(cpu0);
    this.counters.windows++;
    this.counters.pairs += matched.length;
    const report: WindowReport = {
      at: now,
      waiting: tickets.length,
      proposed: result.pairs.length,
      committed: matched.length,
      lost,
      stats: result.stats,
      syncMs: t1 - t0,
      engineMs: t2 - t1,
      commitMs: t3 - t2,
      totalMs: t3 - t0,
      cpuMs: (cpu.user + cpu.system) / 1000,
      pairs: matched,
    };
    this.lastWindow = report;
    return report;
  }

  private async claimAndCommit(
    pairs: readonly ProposedPair[],
    lost: Partial<Record<PairCode, number>>,
    matched: MatchedPair[],
  ): Promise<void> {
    const token = `${this.instanceId}:${++this.windowSeq}`;
    const claimCodes = await inChunks(pairs, (chunk) =>
      this.store.claim(
        token,
        this.claimTtlMs,
        chunk.map((p) => [p.a, p.b] as const),
      ),
    );
    const claimed: CommittingPair[] = [];
    const sessionIds = newSessionIds(pairs.length);
    pairs.forEach((p, i) => {
      const code = claimCodes[i] ?? 'gone';
      // A literal, not { ...p }: see mirrorTicket() (a number field makes spread clones slow).
      if (code === 'ok') claimed.push({ a: p.a, b: p.b, score: p.score, bucket: p.bucket, sessionId: sessionIds[i]! });
      else this.lostRace(p, code, lost);
    });
    if (this.hooks.beforeCommit) await this.hooks.beforeCommit(claimed);
    const commitAt = this.clock();
    const codes = await this.commitChunks(token, commitAt, claimed);
    claimed.forEach((p, i) => {
      const code = codes[i] ?? 'gone';
      if (code !== 'ok') {
        this.lostRace(p, code, lost);
        return;
      }
      const ta = this.mirror.get(p.a);
      const tb = this.mirror.get(p.b);
      this.mirror.delete(p.a);
      this.mirror.delete(p.b);
      const bSet = new Set(tb?.interests ?? []);
      matched.push({
        sessionId: p.sessionId,
        userA: p.a,
        userB: p.b,
        score: p.score,
        waitedMsA: ta ? commitAt - ta.enqueuedAt : 0,
        waitedMsB: tb ? commitAt - tb.enqueuedAt : 0,
        sharedInterests: (ta?.interests ?? []).filter((t) => bSet.has(t)),
      });
    });
  }

  /**
   * commit.lua in chunks. A chunk whose reply was lost (connection dropped) may or may not
   * have run: ask Redis which of its pairs are now live, so no committed pair goes unreported.
   */
  private async commitChunks(token: string, commitAt: number, claimed: readonly CommittingPair[]): Promise<PairCode[]> {
    const chunks: CommittingPair[][] = [];
    for (let i = 0; i < claimed.length; i += SCRIPT_CHUNK) chunks.push(claimed.slice(i, i + SCRIPT_CHUNK));
    const settled = await Promise.allSettled(chunks.map((c) => this.store.commit(token, commitAt, this.rules, c)));
    const codes: PairCode[] = [];
    for (const [k, r] of settled.entries()) {
      const chunk = chunks[k]!;
      if (r.status === 'fulfilled') {
        codes.push(...r.value);
        continue;
      }
      this.log.error({ err: r.reason as unknown, pairs: chunk.length }, 'commit failed; checking which pairs went through');
      for (const p of chunk) {
        const live = await this.store.getPartner(p.a);
        codes.push(live?.sessionId === p.sessionId ? 'ok' : 'gone');
      }
    }
    return codes;
  }

  /** A proposed pair did not commit: its tickets stay waiting and are looked at anew. */
  private lostRace(p: ProposedPair, code: PairCode, lost: Partial<Record<PairCode, number>>): void {
    lost[code] = (lost[code] ?? 0) + 1;
    this.counters.lostRaces++;
    for (const id of [p.a, p.b]) {
      const t = this.mirror.get(id);
      if (t) t.bucket = undefined;
    }
  }

  private async notifyPairs(pairs: readonly MatchedPair[]): Promise<void> {
    if (pairs.length === 0) return;
    const sink = this.sink;
    if (!sink) {
      this.log.error({ pairs: pairs.length }, 'pairs committed with no PairSink attached');
      return;
    }
    const results = await Promise.allSettled(pairs.map(async (p) => sink.onPair(p)));
    results.forEach((r, i) => {
      if (r.status === 'rejected') this.log.error({ err: r.reason as unknown, sessionId: pairs[i]?.sessionId }, 'pair sink failed');
    });
  }

  /** Brings the mirror up to date from the pool-change log (or a snapshot after a gap). */
  private async sync(): Promise<void> {
    if (this.cursor === null) return this.resync();
    for (;;) {
      const read = await this.store.readLog(this.cursor, this.consumed);
      if (read.gap) return this.resync();
      const last = new Map<UserId, '+' | '-'>();
      for (const e of read.entries) {
        last.delete(e.userId); // keep Map order = order of the final op
        last.set(e.userId, e.op);
      }
      const adds: UserId[] = [];
      for (const [id, op] of last) {
        if (op === '-') this.mirror.delete(id);
        else adds.push(id);
      }
      const raws = await this.store.fetchTickets(adds);
      adds.forEach((id, i) => {
        const raw = raws[i];
        if (raw === null || raw === undefined) this.mirror.delete(id);
        else this.put(id, raw);
      });
      const k = read.consumed - this.consumed;
      this.cursor = read.cursor;
      this.consumed = read.consumed;
      if (k < 100_000) return;
    }
  }

  private async resync(): Promise<void> {
    const snap = await this.store.snapshot();
    const fresh: Ticket[] = [];
    for (const [id, raw] of Object.entries(snap.tickets)) {
      try {
        fresh.push(decodeTicket(id, raw));
      } catch (err) {
        this.log.error({ err, userId: id }, 'skipping a corrupt ticket');
      }
    }
    // Rebuild in arrival order (the engine's age order is then almost free), keeping the
    // engine's bookkeeping for tickets we already knew.
    fresh.sort((a, b) => a.enqueuedAt - b.enqueuedAt);
    const old = new Map(this.mirror);
    this.mirror.clear();
    for (const t of fresh) {
      const known = old.get(t.userId);
      this.mirror.set(t.userId, known && known.enqueuedAt === t.enqueuedAt ? known : mirrorTicket(t));
    }
    this.cursor = snap.cursor;
    this.consumed = snap.consumed;
    this.counters.resyncs++;
  }

  /** Adds or refreshes a mirror entry; an unchanged ticket keeps the engine's bucket. */
  private put(id: UserId, raw: string): void {
    let ticket: Ticket;
    try {
      ticket = decodeTicket(id, raw);
    } catch (err) {
      this.log.error({ err, userId: id }, 'skipping a corrupt ticket');
      return;
    }
    const old = this.mirror.get(id);
    if (old && old.enqueuedAt === ticket.enqueuedAt) return;
    this.mirror.delete(id); // a new search goes to the end: the mirror stays in arrival order
    this.mirror.set(id, mirrorTicket(ticket));
  }
}
