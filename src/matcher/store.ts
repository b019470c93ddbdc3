/**
 * The ES-MM pool in Redis. Every multi-key change is a Lua script in ./lua (each with a
 * KEYS/ARGV/returns header), loaded with ioredis defineCommand. Keys, under `${prefix}:mm:`:
 *
 *   pool          ZSET   userId -> enqueuedAt ms (the waiting tickets, oldest first)
 *   tickets       HASH   userId -> encoded ticket (ticket.ts; ~40–120 bytes)
 *   users         HASH   userId -> 's' searching | 'c' US partner US session chatting;
 *                        absent = offline. Doubles as the live pair map the relay reads.
 *   banned        ZSET   userId -> banned-from-matching until ms
 *   log           STREAM pool changes ('+id' / '-id'), trimmed to a few seconds: lets a
 *                        matcher keep an in-memory mirror of the pool without rereading it
 *   lease         STRING holder of the window loop
 *   claims        HASH   userId -> token US expiresAt: held between claim and commit only;
 *                        an expired claim counts as free (housekeeping sweeps leftovers)
 *   recent:<id>   ZSET   partnerId -> paired at ms, last N, expires after the window
 *
 * Standalone Redis: per-user keys are derived inside scripts from the key prefix.
 */
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type { CancelResult, PartnerInfo } from './ports.js';
import type { SessionId, UserId, UserStatus } from '../core/types.js';
import type { MatchRules } from './rules.js';
import type { Ticket } from './ticket.js';
import { encodeTicket } from './ticket.js';

const US = '\x1f';

/** Far future: a permanent ban (max Date). */
export const FOREVER_MS = 8_640_000_000_000_000;

const SCRIPTS = {
  esmmEnqueue: { file: 'enqueue.lua', keys: 5 },
  esmmCancel: { file: 'cancel.lua', keys: 4 },
  esmmClaim: { file: 'claim.lua', keys: 2 },
  esmmCommit: { file: 'commit.lua', keys: 5 },
  esmmSweepClaims: { file: 'sweep-claims.lua', keys: 1 },
  esmmEndPair: { file: 'end-pair.lua', keys: 1 },
  esmmBan: { file: 'ban.lua', keys: 5 },
  esmmExpire: { file: 'expire.lua', keys: 5 },
  esmmLease: { file: 'lease.lua', keys: 1 },
  esmmReleaseLease: { file: 'release-lease.lua', keys: 1 },
  esmmRestorePair: { file: 'restore-pair.lua', keys: 5 },
} as const;
type ScriptName = keyof typeof SCRIPTS;
type ScriptFn = (...args: (string | number)[]) => Promise<unknown>;

const luaSource = new Map<string, string>();
/** Reads a script next to this module (cached: the files never change at run time). */
export function readLua(file: string): string {
  let src = luaSource.get(file);
  if (src === undefined) {
    src = readFileSync(new URL(`./lua/${file}`, import.meta.url), 'utf8');
    luaSource.set(file, src);
  }
  return src;
}

export type EnqueueStatus = 'queued' | 'already_searching' | 'already_chatting' | 'banned';

/** claim.lua / commit.lua result codes (a banned user's ticket is gone: ban.lua cancels it). */
export const PAIR_CODES = ['ok', 'gone', 'claimed'] as const;
export type PairCode = (typeof PAIR_CODES)[number];

export interface LogEntry {
  readonly id: string;
  readonly op: '+' | '-';
  readonly userId: UserId;
}

export interface LogRead {
  readonly entries: LogEntry[];
  /** The last id read (or the cursor given when nothing new). */
  readonly cursor: string;
  /** Log entries ever written up to `cursor` (the stream's entries-added count). */
  readonly consumed: number;
  /** Entries after the cursor were trimmed before being read (or the log vanished): resync. */
  readonly gap: boolean;
}

export interface Snapshot {
  readonly cursor: string;
  /** The log's entries-added count at the snapshot. */
  readonly consumed: number;
  readonly tickets: Record<UserId, string>;
}

/** Reads one field out of a flat XINFO STREAM reply. */
function infoField(info: unknown, name: string): unknown {
  if (!Array.isArray(info)) return undefined;
  const at = info.indexOf(name);
  return at >= 0 ? (info[at + 1] as unknown) : undefined;
}

export interface StoreOptions {
  /** How long pool-change log entries are kept (ms). A matcher lagging longer resyncs. */
  readonly logRetentionMs?: number;
}

export class PoolStore {
  readonly keys: {
    readonly base: string;
    readonly pool: string;
    readonly tickets: string;
    readonly users: string;
    readonly banned: string;
    readonly claims: string;
    readonly log: string;
    readonly lease: string;
  };
  readonly logRetentionMs: number;
  private readonly scripts: Record<ScriptName, ScriptFn>;

  constructor(
    readonly redis: Redis,
    readonly prefix: string,
    options: StoreOptions = {},
  ) {
    if (!/^[A-Za-z0-9_:.{}-]+$/.test(prefix)) throw new TypeError(`bad Redis prefix ${JSON.stringify(prefix)}`);
    const base = `${prefix}:mm:`;
    this.keys = {
      base,
      pool: `${base}pool`,
      tickets: `${base}tickets`,
      users: `${base}users`,
      banned: `${base}banned`,
      claims: `${base}claims`,
      log: `${base}log`,
      lease: `${base}lease`,
    };
    this.logRetentionMs = options.logRetentionMs ?? 5000;
    const scripts = {} as Record<ScriptName, ScriptFn>;
    for (const [name, def] of Object.entries(SCRIPTS) as [ScriptName, (typeof SCRIPTS)[ScriptName]][]) {
      redis.defineCommand(name, { numberOfKeys: def.keys, lua: readLua(def.file) });
      const fn = (redis as unknown as Record<string, ScriptFn>)[name];
      if (typeof fn !== 'function') throw new Error(`ioredis did not define ${name}`);
      scripts[name] = fn.bind(redis);
    }
    this.scripts = scripts;
  }

  async enqueue(ticket: Ticket, rules: MatchRules): Promise<EnqueueStatus> {
    const k = this.keys;
    const res = await this.scripts.esmmEnqueue(
      k.pool,
      k.tickets,
      k.users,
      k.banned,
      k.log,
      k.base,
      ticket.userId,
      ticket.enqueuedAt,
      encodeTicket(ticket),
      rules.recentPartnerLimit,
      rules.recentPartnerWindowMs,
      this.logRetentionMs,
    );
    return res as EnqueueStatus;
  }

  async cancel(userId: UserId): Promise<CancelResult> {
    const k = this.keys;
    return (await this.scripts.esmmCancel(k.pool, k.tickets, k.users, k.log, userId, this.logRetentionMs)) as CancelResult;
  }

  async state(userId: UserId): Promise<UserStatus> {
    const v = await this.redis.hget(this.keys.users, userId);
    return v === null ? 'offline' : v === 's' ? 'searching' : 'chatting';
  }

  async getPartner(userId: UserId): Promise<PartnerInfo | null> {
    const v = await this.redis.hget(this.keys.users, userId);
    if (v === null || v[0] !== 'c') return null;
    const [, partnerId, sessionId] = v.split(US);
    return partnerId && sessionId ? { partnerId, sessionId } : null;
  }

  async endPair(userA: UserId, userB: UserId, sessionId: SessionId): Promise<number> {
    return Number(await this.scripts.esmmEndPair(this.keys.users, userA, userB, sessionId));
  }

  /** Writes a pair back (after Redis lost it): both chatting in `sessionId`, tickets dropped. */
  async restorePair(sessionId: SessionId, userA: UserId, userB: UserId): Promise<void> {
    const k = this.keys;
    await this.scripts.esmmRestorePair(k.pool, k.tickets, k.users, k.log, k.banned, userA, userB, sessionId, this.logRetentionMs);
  }

  async ban(userId: UserId, untilMs: number): Promise<'cancelled' | 'banned'> {
    const k = this.keys;
    const res = await this.scripts.esmmBan(k.pool, k.tickets, k.users, k.banned, k.log, userId, Math.floor(untilMs), this.logRetentionMs);
    return res as 'cancelled' | 'banned';
  }

  async unban(userId: UserId): Promise<void> {
    await this.redis.zrem(this.keys.banned, userId);
  }

  async bannedUntil(userId: UserId): Promise<number | null> {
    const v = await this.redis.zscore(this.keys.banned, userId);
    return v === null ? null : Number(v);
  }

  /** Claims both users of each pair for `ttlMs` (Redis server time); one code per pair. */
  async claim(token: string, ttlMs: number, pairs: readonly (readonly [UserId, UserId])[]): Promise<PairCode[]> {
    if (pairs.length === 0) return [];
    const k = this.keys;
    const res = (await this.scripts.esmmClaim(k.users, k.claims, token, ttlMs, ...pairs.flat())) as number[];
    return res.map((c) => PAIR_CODES[c] ?? 'gone');
  }

  /** Commits claimed pairs (both chatting, partner map, recent partners); one code per pair. */
  async commit(
    token: string,
    now: number,
    rules: MatchRules,
    pairs: readonly { readonly a: UserId; readonly b: UserId; readonly sessionId: SessionId }[],
  ): Promise<PairCode[]> {
    if (pairs.length === 0) return [];
    const k = this.keys;
    const args: string[] = [];
    for (const p of pairs) args.push(p.a, p.b, p.sessionId);
    const res = (await this.scripts.esmmCommit(
      k.pool,
      k.tickets,
      k.users,
      k.claims,
      k.log,
      k.base,
      token,
      now,
      rules.recentPartnerLimit,
      rules.recentPartnerWindowMs,
      this.logRetentionMs,
      ...args,
    )) as number[];
    return res.map((c) => PAIR_CODES[c] ?? 'gone');
  }

  /** Cancels searches enqueued at or before `cutoff`; returns their user ids. */
  async expire(cutoff: number, limit = 1000): Promise<UserId[]> {
    const k = this.keys;
    return (await this.scripts.esmmExpire(k.pool, k.tickets, k.users, k.claims, k.log, Math.floor(cutoff), limit, this.logRetentionMs)) as UserId[];
  }

  async acquireLease(holder: string, ttlMs: number): Promise<boolean> {
    return Number(await this.scripts.esmmLease(this.keys.lease, holder, ttlMs)) === 1;
  }

  async releaseLease(holder: string): Promise<boolean> {
    return Number(await this.scripts.esmmReleaseLease(this.keys.lease, holder)) === 1;
  }

  async leaseHolder(): Promise<string | null> {
    return this.redis.get(this.keys.lease);
  }

  /** An atomic snapshot of all tickets plus the log position it corresponds to. */
  async snapshot(): Promise<Snapshot> {
    const res = await this.redis.multi().xinfo('STREAM', this.keys.log).hgetall(this.keys.tickets).exec();
    if (!res) throw new Error('snapshot transaction aborted');
    const [[infoErr, info], [ticketsErr, tickets]] = res as [[Error | null, unknown], [Error | null, Record<string, string>]];
    if (ticketsErr) throw ticketsErr;
    if (infoErr) return { cursor: '0-0', consumed: 0, tickets }; // no log yet
    const lastId = infoField(info, 'last-generated-id');
    return {
      cursor: typeof lastId === 'string' ? lastId : '0-0',
      consumed: Number(infoField(info, 'entries-added') ?? 0),
      tickets,
    };
  }

  /**
   * Pool changes after `cursor`. Log entries are trimmed after logRetentionMs; a reader
   * that fell behind notices because the stream's entries-added count runs ahead of what
   * it has read (XREAD and XINFO run in one MULTI, so nothing slips in between).
   */
  async readLog(cursor: string, consumed: number, count = 100_000): Promise<LogRead> {
    const res = await this.redis
      .multi()
      .xread('COUNT', count, 'STREAMS', this.keys.log, cursor)
      .xinfo('STREAM', this.keys.log)
      .exec();
    if (!res) throw new Error('log read transaction aborted');
    const [[readErr, read], [infoErr, info]] = res as [[Error | null, unknown], [Error | null, unknown]];
    if (readErr) throw readErr;
    const entries: LogEntry[] = [];
    let last = cursor;
    let k = 0;
    const streams = read as [string, [string, string[]][]][] | null;
    for (const [id, fields] of streams?.[0]?.[1] ?? []) {
      last = id;
      k++;
      const e = fields[1];
      if (fields[0] !== 'e' || !e) continue;
      const op = e[0];
      if (op !== '+' && op !== '-') continue;
      for (const userId of e.slice(1).split(',')) entries.push({ id, op, userId });
    }
    const added = infoErr ? 0 : Number(infoField(info, 'entries-added') ?? 0);
    const now = consumed + k;
    // All entries after the cursor were returned (k < count): the counts must agree.
    const gap = k < count ? added !== now : added < now;
    return { entries, cursor: last, consumed: now, gap };
  }

  /** Encoded tickets of the given users (null where gone). */
  async fetchTickets(userIds: readonly UserId[]): Promise<(string | null)[]> {
    if (userIds.length === 0) return [];
    return this.redis.hmget(this.keys.tickets, ...userIds);
  }

  async poolSize(): Promise<number> {
    return this.redis.zcard(this.keys.pool);
  }

  /** Housekeeping: trim the change log, drop expired bans, sweep expired claims. */
  async housekeep(now: number): Promise<{ trimmed: number; bansExpired: number; claimsSwept: number }> {
    const res = await this.redis
      .pipeline()
      .xtrim(this.keys.log, 'MINID', '~', Math.max(0, Math.floor(now - this.logRetentionMs)))
      .zremrangebyscore(this.keys.banned, '-inf', Math.floor(now))
      .exec();
    let cursor = '0';
    let claimsSwept = 0;
    do {
      const [next, deleted] = (await this.scripts.esmmSweepClaims(this.keys.claims, cursor, 500)) as [string, number];
      cursor = next;
      claimsSwept += Number(deleted);
    } while (cursor !== '0');
    return { trimmed: Number(res?.[0]?.[1] ?? 0), bansExpired: Number(res?.[1]?.[1] ?? 0), claimsSwept };
  }
}
