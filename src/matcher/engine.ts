/**
 * ES-MM engine: one micro-window of matching as a pure function.
 *
 *   esmmWindow(tickets, now, rng, rules) -> { pairs, moves, stats }
 *   createEsmmEngine().window(...)  the same, keeping compiled tickets between windows
 *
 * No I/O, no clock, no Math.random: time and a seeded generator come in as arguments, so a
 * window is reproducible. The Redis store and the tick loop (service.ts) feed it.
 *
 * The product rules (docs: the ES-MM issue):
 *  - Buckets by wait: A 0–1 s, B 1–3 s, C 3–6 s, D 6 s+ (rules.bucketEdgesMs).
 *  - Choosers are served oldest bucket first (D, C, B, A), inside a bucket by priority
 *    wait_ms × R, R uniform in [0.8, 1.2] per ticket per window.
 *  - Each chooser takes the best available partner: the highest score, ties to the longest
 *    waiter (then the earlier input position). Score = Jaccard(interests) + languageWeight
 *    if both name the same language. R comes from a hash of (one draw of `rng`, user id),
 *    so a ticket's factor does not depend on which other tickets are in the window.
 *  - The chooser needs score >= minScore[its bucket] (A strong, B partial, C any shared
 *    interest or language, D anyone); a ticket without interests accepts anyone from
 *    rules.untaggedAnyoneFrom (A) on.
 *  - The partner must accept too, or yield: a partner in a younger bucket than the chooser
 *    yields to the older waiter; a partner in the same or an older bucket needs the score to
 *    reach its own minimum. (So a fresh tagged user is not grabbed by a fresh untagged one,
 *    while someone who has waited 6 s still gets anyone compatible: no starvation.)
 *  - Never: a self pair, a user in the other's avoid set (blocked, reported, recent partners).
 *
 * Incremental evaluation. The pool is mostly the same from one window to the next, and
 * after a window no two unpaired tickets accept each other (each was a chooser and found
 * nothing). Acceptance only depends on the two buckets, so the only new pairs possible are
 * those touching a "dirty" ticket: a new one (bucket undefined), or one whose bucket changed.
 * The engine therefore scans the interest index only from dirty tickets, collecting edges
 * in both directions, and runs as choosers the dirty tickets, the tickets that gained an edge,
 * and the low-threshold tickets (C/D/untagged) whose "anyone (same language)" queries walk
 * age-ordered lists instead of the index. The caller passes each ticket's previous bucket
 * (from `moves`), and resets it to undefined for tickets that come back after a lost commit
 * race. `{ full: true }` treats every ticket as dirty; with an unbounded candidate budget it
 * gives exactly the same result (a property test checks this). With the default budget
 * (rules.maxCandidates tag-sharing tickets per dirty ticket, rarest tags first) a weak edge
 * may be missed until the next bucket change; the anyone-paths are never truncated, so the
 * bucket-D guarantee (paired within D's edge + one window if anyone compatible waits) holds.
 */
import type { UserId } from '../core/types.js';
import type { Bucket, MatchRules } from './rules.js';
import { BUCKETS } from './rules.js';
import type { Rng } from './rng.js';
import { hashUnit, nextUint32 } from './rng.js';
import type { EngineTicket, Ticket } from './ticket.js';

export interface ProposedPair {
  /** The chooser. */
  readonly a: UserId;
  readonly b: UserId;
  readonly score: number;
  /** The chooser's bucket in this window. */
  readonly bucket: Bucket;
}

export interface BucketMove {
  readonly userId: UserId;
  readonly from: Bucket | undefined;
  readonly to: Bucket;
}

export interface WindowStats {
  readonly tickets: number;
  /** New or re-bucketed tickets looked at against the pool. */
  readonly dirty: number;
  /** Tickets that ran as choosers. */
  readonly active: number;
  /** Pair scores computed through the interest index. */
  readonly evaluated: number;
}

export interface WindowResult {
  readonly pairs: ProposedPair[];
  /** Tickets whose bucket changed (new ones included); store `to` as the ticket's bucket. */
  readonly moves: BucketMove[];
  readonly stats: WindowStats;
}

export interface WindowOptions {
  /** Look at every ticket as if it were new (no incremental shortcut). */
  readonly full?: boolean;
}

export type WindowFn = (
  tickets: readonly EngineTicket[],
  now: number,
  rng: Rng,
  rules: MatchRules,
  options?: WindowOptions,
) => WindowResult;

export interface MatchEngine {
  readonly name: 'esmm' | 'fifo';
  readonly window: WindowFn;
}

const EPS = 1e-9;

const bucketAt = (i: number): Bucket => BUCKETS[i as 0 | 1 | 2 | 3];

/** Jaccard similarity of two normalized interest lists (0 when either is empty). */
export function jaccard(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const set = new Set(a);
  let inter = 0;
  for (const t of b) if (set.has(t)) inter++;
  return inter / (a.length + b.length - inter);
}

export function sameLanguage(a: Ticket, b: Ticket): boolean {
  return a.language !== undefined && a.language === b.language;
}

/** The ES-MM pair score: interest Jaccard + languageWeight for the same language. */
export function pairScore(a: Ticket, b: Ticket, rules: MatchRules): number {
  return jaccard(a.interests, b.interests) + (sameLanguage(a, b) ? rules.languageWeight : 0);
}

/** True when neither ticket avoids the other (and they are different users). */
export function compatible(a: Ticket, b: Ticket): boolean {
  return a.userId !== b.userId && !a.avoid.includes(b.userId) && !b.avoid.includes(a.userId);
}

/** Bucket bookkeeping shared by both engines. */
function assignBuckets(
  tickets: readonly EngineTicket[],
  now: number,
  rules: MatchRules,
  full: boolean,
): { bIdx: Uint8Array; dirty: Uint8Array; dirtyCount: number; moves: BucketMove[] } {
  const n = tickets.length;
  const bIdx = new Uint8Array(n);
  const dirty = new Uint8Array(n);
  const moves: BucketMove[] = [];
  const [e0, e1, e2] = rules.bucketEdgesMs;
  let dirtyCount = 0;
  for (let i = 0; i < n; i++) {
    const t = tickets[i]!;
    const wait = now - t.enqueuedAt;
    const b = wait < e0 ? 0 : wait < e1 ? 1 : wait < e2 ? 2 : 3;
    bIdx[i] = b;
    const to = BUCKETS[b];
    if (t.bucket !== to) {
      moves.push({ userId: t.userId, from: t.bucket, to });
      dirty[i] = 1;
      dirtyCount++;
    } else if (full) {
      dirty[i] = 1;
      dirtyCount++;
    }
  }
  return { bIdx, dirty, dirtyCount, moves };
}

/**
 * Indices sorted oldest first, ties by input position: the "longest waiter" order. The
 * service's mirror is nearly in arrival order already, so this checks for that first.
 * Otherwise each index is packed with its (integer, relative) enqueue time into one exact
 * double, `(enqueuedAt - min) * 2^bits + i`, and sorted by the native numeric sort of a
 * Float64Array: several times faster than Array#sort with a comparator at 10k tickets. Times
 * that are not integers or span too much to pack fall back to the comparator sort.
 */
function ageOrder(tickets: readonly EngineTicket[]): Int32Array {
  const n = tickets.length;
  const order = new Int32Array(n);
  const keys = new Float64Array(n);
  let sorted = true;
  let integral = true;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const at = tickets[i]!.enqueuedAt;
    keys[i] = at;
    order[i] = i;
    if (i > 0 && at < keys[i - 1]!) sorted = false;
    if (!Number.isInteger(at)) integral = false;
    if (at < min) min = at;
    if (at > max) max = at;
  }
  if (sorted) return order;
  const slots = 2 ** Math.ceil(Math.log2(n + 1));
  if (integral && (max - min + 1) * slots <= Number.MAX_SAFE_INTEGER) {
    for (let i = 0; i < n; i++) keys[i] = (keys[i]! - min) * slots + i;
    keys.sort();
    for (let k = 0; k < n; k++) order[k] = keys[k]! % slots;
    return order;
  }
  const idx = Array.from(order);
  idx.sort((i, j) => keys[i]! - keys[j]! || i - j);
  order.set(idx);
  return order;
}

/** A ticket's interests and language as small integers, and its avoid set. */
interface Compiled {
  /** Interned tag ids, ascending. */
  readonly tags: Int32Array;
  /** Interned language id, -1 for none. */
  readonly lang: number;
  readonly avoid: Set<string> | null;
}

/**
 * Interns tags and languages and remembers each ticket's compiled form across windows, keyed
 * by the ticket object itself (tickets are immutable; the service's mirror entries live as
 * long as the search, so each compiles once). A WeakMap, not a userId map: the lookup is an
 * identity hash instead of a string hash plus an identity check, and entries of tickets that
 * left the pool go with them, so there is nothing to sweep. A cache only: results never
 * depend on it. Starts over when the vocabulary grows past `maxVocabulary`.
 */
export class TicketCompiler {
  private tagIds = new Map<string, number>();
  private langIds = new Map<string, number>();
  private cache = new WeakMap<Ticket, Compiled>();

  constructor(private readonly maxVocabulary = 200_000) {}

  /** Call once per window (before compiling): starts over if the vocabulary grew too big. */
  beginWindow(): void {
    if (this.tagIds.size > this.maxVocabulary) {
      this.tagIds = new Map();
      this.langIds = new Map();
      this.cache = new WeakMap();
    }
  }

  compile(t: Ticket): Compiled {
    const hit = this.cache.get(t);
    if (hit !== undefined) return hit;
    const tags = new Int32Array(t.interests.length);
    t.interests.forEach((tag, k) => {
      let id = this.tagIds.get(tag);
      if (id === undefined) {
        id = this.tagIds.size;
        this.tagIds.set(tag, id);
      }
      tags[k] = id;
    });
    tags.sort();
    let lang = -1;
    if (t.language !== undefined) {
      const l = this.langIds.get(t.language);
      if (l === undefined) {
        lang = this.langIds.size;
        this.langIds.set(t.language, lang);
      } else lang = l;
    }
    const compiled: Compiled = { tags, lang, avoid: t.avoid.length > 0 ? new Set(t.avoid) : null };
    this.cache.set(t, compiled);
    return compiled;
  }
}

/** Avoid sets as Sets, only for tickets that have any. */
function avoidSets(tickets: readonly EngineTicket[]): (Set<string> | null)[] {
  return tickets.map((t) => (t.avoid.length > 0 ? new Set(t.avoid) : null));
}

/**
 * An age-ordered candidate list with "next not taken" skipping (union-find with path
 * halving), so repeated queries never rescan tickets already paired in this window.
 */
class FreeList {
  readonly items: number[] = [];
  private next: Int32Array = new Int32Array(0);

  seal(): void {
    this.next = new Int32Array(this.items.length + 1);
    for (let k = 0; k <= this.items.length; k++) this.next[k] = k;
  }

  /** First position >= k whose ticket is not taken. */
  private find(k: number, taken: Uint8Array): number {
    const next = this.next;
    const items = this.items;
    let r = k;
    for (;;) {
      const p = next[r]!;
      if (p !== r) {
        next[r] = next[p]!;
        r = p;
        continue;
      }
      if (r < items.length && taken[items[r]!]) {
        next[r] = r + 1;
        r = r + 1;
        continue;
      }
      return r;
    }
  }

  /** Oldest untaken ticket of the list that passes `ok`, or -1. */
  first(taken: Uint8Array, ok: (x: number) => boolean): number {
    for (let k = this.find(0, taken); k < this.items.length; k = this.find(k + 1, taken)) {
      const x = this.items[k]!;
      if (ok(x)) return x;
    }
    return -1;
  }
}

/**
 * Age-ordered candidate lists for the "anyone (of a language)" queries of low-threshold
 * choosers, each built on first use by one pass over the age order: `low` holds the tickets
 * that accept the list's fixed score themselves, `bucket(b)` all tickets of the key in bucket
 * b (those younger than the chooser yield to it).
 */
class AgeLists {
  private lowList: FreeList | null = null;
  private readonly buckets: (FreeList | null)[] = [null, null, null, null];

  constructor(
    private readonly order: Int32Array,
    private readonly inKey: (i: number) => boolean,
    private readonly isLow: (i: number) => boolean,
    private readonly bucketOfIndex: Uint8Array,
  ) {}

  low(): FreeList {
    if (!this.lowList) this.lowList = this.build((i) => this.isLow(i));
    return this.lowList;
  }

  bucket(b: number): FreeList {
    let list = this.buckets[b];
    if (!list) {
      list = this.build((i) => this.bucketOfIndex[i] === b);
      this.buckets[b] = list;
    }
    return list;
  }

  private build(pred: (i: number) => boolean): FreeList {
    const list = new FreeList();
    for (let k = 0; k < this.order.length; k++) {
      const i = this.order[k]!;
      if (this.inKey(i) && pred(i)) list.items.push(i);
    }
    list.seal();
    return list;
  }
}

/** Chooser -> partner edges as linked lists in flat typed arrays. */
class Edges {
  readonly head: Int32Array;
  next = new Int32Array(1024);
  to = new Int32Array(1024);
  score = new Float64Array(1024);
  size = 0;

  constructor(n: number) {
    this.head = new Int32Array(n).fill(-1);
  }

  add(c: number, x: number, s: number): void {
    const k = this.size;
    if (k === this.to.length) this.grow();
    this.next[k] = this.head[c]!;
    this.to[k] = x;
    this.score[k] = s;
    this.head[c] = k;
    this.size = k + 1;
  }

  private grow(): void {
    const cap = this.to.length * 2;
    const next = new Int32Array(cap);
    next.set(this.next);
    this.next = next;
    const to = new Int32Array(cap);
    to.set(this.to);
    this.to = to;
    const score = new Float64Array(cap);
    score.set(this.score);
    this.score = score;
  }
}

interface ScanInput {
  readonly dirty: Uint8Array;
  readonly bIdx: Uint8Array;
  readonly th: Float64Array;
  readonly langId: Int32Array;
  readonly tagStart: Int32Array;
  readonly tagFlat: Int32Array;
  readonly avoid: readonly (Set<string> | null)[];
  readonly userIds: readonly string[];
  readonly w: number;
}

/**
 * For every dirty tagged ticket, examine up to `maxCandidates` tickets sharing a tag (rarest
 * tags first, oldest first) and record the acceptable edges in both directions: chooser c
 * accepts partner x at score s when s >= th[c] and x either accepts too (s >= th[x]) or
 * yields to an older waiter (bucket[x] < bucket[c]). Returns the number of scores computed.
 */
function scanEdges(inp: ScanInput, postings: ReadonlyMap<number, number[]>, maxCandidates: number, edges: Edges): number {
  const { dirty, bIdx, th, langId, tagStart, tagFlat, avoid, userIds, w } = inp;
  const n = dirty.length;
  const stamp = new Int32Array(n).fill(-1);
  const tagOrder: number[] = [];
  let evaluated = 0;
  for (let d = 0; d < n; d++) {
    if (!dirty[d]) continue;
    const ts = tagStart[d]!;
    const te = tagStart[d + 1]!;
    if (ts === te) continue;
    stamp[d] = d;
    tagOrder.length = 0;
    for (let p = ts; p < te; p++) tagOrder.push(tagFlat[p]!);
    if (tagOrder.length > 1) tagOrder.sort((x, y) => postings.get(x)!.length - postings.get(y)!.length || x - y);
    const thD = th[d]!;
    const bD = bIdx[d]!;
    const langD = langId[d]!;
    const kD = te - ts;
    const avD = avoid[d] ?? null;
    let budget = maxCandidates;
    for (let t = 0; t < tagOrder.length && budget > 0; t++) {
      const list = postings.get(tagOrder[t]!)!;
      for (let q = 0; q < list.length && budget > 0; q++) {
        const x = list[q]!;
        if (stamp[x] === d) continue;
        stamp[x] = d;
        budget--;
        evaluated++;
        if (avD !== null && avD.has(userIds[x]!)) continue;
        const avX = avoid[x] ?? null;
        if (avX !== null && avX.has(userIds[d]!)) continue;
        let a = ts;
        let b = tagStart[x]!;
        const be = tagStart[x + 1]!;
        const kX = be - b;
        let inter = 0;
        while (a < te && b < be) {
          const u = tagFlat[a]!;
          const v = tagFlat[b]!;
          if (u === v) {
            inter++;
            a++;
            b++;
          } else if (u < v) a++;
          else b++;
        }
        const s = inter / (kD + kX - inter) + (langD >= 0 && langD === langId[x] ? w : 0);
        const thX = th[x]!;
        const bX = bIdx[x]!;
        if (s + EPS >= thD && (bX < bD || s + EPS >= thX)) edges.add(d, x, s);
        if (s + EPS >= thX && (bD < bX || s + EPS >= thD)) edges.add(x, d, s);
      }
    }
  }
  return evaluated;
}

/** One ES-MM window (a fresh compiler: nothing carried over between calls). */
export function esmmWindow(
  tickets: readonly EngineTicket[],
  now: number,
  rng: Rng,
  rules: MatchRules,
  options: WindowOptions = {},
): WindowResult {
  return esmmWindowWith(new TicketCompiler(), tickets, now, rng, rules, options);
}

/** An ES-MM engine that keeps compiled tickets between windows (same results, less work). */
export function createEsmmEngine(): MatchEngine {
  const compiler = new TicketCompiler();
  return {
    name: 'esmm',
    window: (tickets, now, rng, rules, options) => esmmWindowWith(compiler, tickets, now, rng, rules, options),
  };
}

function esmmWindowWith(
  compiler: TicketCompiler,
  tickets: readonly EngineTicket[],
  now: number,
  rng: Rng,
  rules: MatchRules,
  options: WindowOptions = {},
): WindowResult {
  const n = tickets.length;
  const salt = nextUint32(rng); // exactly one draw per window, whatever the pool
  const { bIdx, dirty, dirtyCount, moves } = assignBuckets(tickets, now, rules, options.full === true);
  if (dirtyCount === 0 || n < 2) {
    return { pairs: [], moves, stats: { tickets: n, dirty: dirtyCount, active: 0, evaluated: 0 } };
  }

  const w = rules.languageWeight;
  const ms = rules.minScore;
  const minByBucket = [ms.A, ms.B, ms.C, ms.D];
  const untaggedFrom = BUCKETS.indexOf(rules.untaggedAnyoneFrom);

  // Tags as sorted interned ids in one flat array (ticket i: tagStart[i]..tagStart[i+1]).
  compiler.beginWindow();
  const compiled = tickets.map((t) => compiler.compile(t));
  const tagStart = new Int32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) total += compiled[i]!.tags.length;
  const tagFlat = new Int32Array(total);
  const langId = new Int32Array(n);
  const th = new Float64Array(n);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const c = compiled[i]!;
    tagStart[i] = pos;
    const tags = c.tags;
    for (let k = 0; k < tags.length; k++) tagFlat[pos++] = tags[k]!;
    langId[i] = c.lang;
    const b = bIdx[i]!;
    th[i] = c.tags.length === 0 && b >= untaggedFrom ? 0 : minByBucket[b]!;
  }
  tagStart[n] = pos;

  const order = ageOrder(tickets);
  const rank = new Int32Array(n);
  for (let k = 0; k < n; k++) rank[order[k]!] = k;

  // Postings: tag id -> ticket indices, oldest first.
  // Postings (tag -> tickets, oldest first), only for the tags dirty tickets have: nobody
  // else looks tickets up by tag, and most tags of a settled pool are not needed.
  const postings = new Map<number, number[]>();
  for (let d = 0; d < n; d++) {
    if (dirty[d]) for (let p = tagStart[d]!; p < tagStart[d + 1]!; p++) postings.set(tagFlat[p]!, []);
  }
  if (postings.size > 0) {
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      for (let p = tagStart[i]!; p < tagStart[i + 1]!; p++) postings.get(tagFlat[p]!)?.push(i);
    }
  }

  const avoid = compiled.map((c) => c.avoid);
  const compat = (i: number, j: number): boolean => {
    if (i === j) return false;
    const ai = avoid[i];
    if (ai && ai.has(tickets[j]!.userId)) return false;
    const aj = avoid[j];
    return !(aj && aj.has(tickets[i]!.userId));
  };

  const score = (i: number, j: number): number => {
    let a = tagStart[i]!;
    const ae = tagStart[i + 1]!;
    let b = tagStart[j]!;
    const be = tagStart[j + 1]!;
    let s = langId[i]! >= 0 && langId[i] === langId[j] ? w : 0;
    if (a === ae || b === be) return s;
    let inter = 0;
    while (a < ae && b < be) {
      const x = tagFlat[a]!;
      const y = tagFlat[b]!;
      if (x === y) {
        inter++;
        a++;
        b++;
      } else if (x < y) a++;
      else b++;
    }
    if (inter > 0) s += inter / (tagStart[i + 1]! - tagStart[i]! + (tagStart[j + 1]! - tagStart[j]!) - inter);
    return s;
  };

  // Edges from dirty tickets through the interest index, both directions.
  const edges = new Edges(n);
  const evaluated = scanEdges(
    { dirty, bIdx, th, langId, tagStart, tagFlat, avoid, userIds: tickets.map((t) => t.userId), w },
    postings,
    rules.maxCandidates,
    edges,
  );
  const head = edges.head;

  // Choosers: dirty, tickets with edges, and low-threshold tickets (they query age lists).
  const lowLang = (i: number): boolean => langId[i]! >= 0 && th[i]! <= w + EPS;
  const lowAny = (i: number): boolean => th[i] === 0;
  const active: number[] = [];
  for (let i = 0; i < n; i++) {
    if (dirty[i] || head[i] !== -1 || lowLang(i) || lowAny(i)) active.push(i);
  }
  const [lo, hi] = rules.priorityJitter;
  const prio = new Float64Array(n);
  for (const i of active) prio[i] = (now - tickets[i]!.enqueuedAt) * (lo + (hi - lo) * hashUnit(salt, tickets[i]!.userId));
  active.sort((i, j) => bIdx[j]! - bIdx[i]! || prio[j]! - prio[i]! || rank[i]! - rank[j]!);

  // Age lists per language (fixed score w) and for everyone (score 0), built on first use.
  const langLists = new Map<number, AgeLists>();
  const langListsOf = (l: number): AgeLists => {
    let lists = langLists.get(l);
    if (!lists) {
      lists = new AgeLists(order, (i) => langId[i] === l, lowLang, bIdx);
      langLists.set(l, lists);
    }
    return lists;
  };
  const anyLists = new AgeLists(order, () => true, lowAny, bIdx);
  /** Everyone by age: for a chooser in D every ticket is low or younger. */
  let everyone: FreeList | null = null;

  const taken = new Uint8Array(n);
  /** Oldest available ticket that accepts the list's fixed score itself, or yields to c. */
  const query = (lists: AgeLists, c: number): number => {
    const ok = (x: number): boolean => compat(c, x);
    let best = lists.low().first(taken, ok);
    const bc = bIdx[c]!;
    for (let b = 0; b < bc; b++) {
      const y = lists.bucket(b).first(taken, ok);
      if (y >= 0 && (best < 0 || rank[y]! < rank[best]!)) best = y;
    }
    return best;
  };
  const queryAny = (c: number): number => {
    if (bIdx[c]! < 3) return query(anyLists, c);
    if (!everyone) {
      everyone = new FreeList();
      for (let k = 0; k < n; k++) everyone.items.push(order[k]!);
      everyone.seal();
    }
    return everyone.first(taken, (x) => compat(c, x));
  };

  const pairs: ProposedPair[] = [];
  for (const c of active) {
    if (taken[c]) continue;
    let best = -1;
    let bestS = -1;
    const consider = (x: number, s: number): void => {
      if (best < 0 || s > bestS + EPS || (s >= bestS - EPS && rank[x]! < rank[best]!)) {
        best = x;
        bestS = s;
      }
    };
    for (let e = head[c]!; e !== -1; e = edges.next[e]!) {
      const x = edges.to[e]!;
      if (!taken[x]) consider(x, edges.score[e]!);
    }
    if (lowLang(c)) {
      const x = query(langListsOf(langId[c]!), c);
      if (x >= 0) consider(x, score(c, x));
    }
    if (lowAny(c)) {
      const x = queryAny(c);
      if (x >= 0) consider(x, score(c, x));
    }
    if (best >= 0) {
      taken[c] = 1;
      taken[best] = 1;
      pairs.push({ a: tickets[c]!.userId, b: tickets[best]!.userId, score: bestS, bucket: bucketAt(bIdx[c]!) });
    }
  }
  return { pairs, moves, stats: { tickets: n, dirty: dirtyCount, active: active.length, evaluated } };
}

/**
 * FIFO baseline with the same interface: strictly arrival order, interests ignored. The
 * oldest waiting ticket takes the next oldest compatible one (avoid sets still hold: a
 * blocked pair must never meet, whatever the engine).
 */
export function fifoWindow(
  tickets: readonly EngineTicket[],
  now: number,
  rng: Rng,
  rules: MatchRules,
  options: WindowOptions = {},
): WindowResult {
  const n = tickets.length;
  nextUint32(rng); // same generator consumption as ES-MM, for symmetric replays
  const { bIdx, dirtyCount, moves } = assignBuckets(tickets, now, rules, options.full === true);
  const order = ageOrder(tickets);
  const avoid = avoidSets(tickets);
  const taken = new Uint8Array(n);
  const pairs: ProposedPair[] = [];
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    if (taken[i]) continue;
    for (let m = k + 1; m < n; m++) {
      const j = order[m]!;
      if (taken[j]) continue;
      const a = tickets[i]!;
      const b = tickets[j]!;
      if (avoid[i]?.has(b.userId) || avoid[j]?.has(a.userId)) continue;
      taken[i] = 1;
      taken[j] = 1;
      pairs.push({ a: a.userId, b: b.userId, score: pairScore(a, b, rules), bucket: bucketAt(bIdx[i]!) });
      break;
    }
  }
  return { pairs, moves, stats: { tickets: n, dirty: dirtyCount, active: n, evaluated: 0 } };
}

/** Stateless ES-MM (fresh compiler per window); services use createEsmmEngine(). */
export const ESMM: MatchEngine = Object.freeze({ name: 'esmm', window: esmmWindow });
export const FIFO: MatchEngine = Object.freeze({ name: 'fifo', window: fifoWindow });

export interface RebalanceResult {
  /**
   * Tickets whose bucket changed since the last window. A report: the next window applies
   * the same moves itself (and looks at those tickets anew), so callers must not store them.
   */
  readonly moves: BucketMove[];
  /** Tickets older than rules.searchTimeoutMs: cancel them and tell the user. */
  readonly expired: UserId[];
  /** Waiting tickets per bucket after the moves. */
  readonly buckets: Record<Bucket, number>;
}

/**
 * Rebalancing (every 2–3 s): move tickets to their current bucket and find the ones that
 * timed out. Priorities need no stored refresh: every window draws fresh R factors.
 */
export function rebalance(tickets: readonly EngineTicket[], now: number, rules: MatchRules): RebalanceResult {
  const { bIdx, moves } = assignBuckets(tickets, now, rules, false);
  const buckets: Record<Bucket, number> = { A: 0, B: 0, C: 0, D: 0 };
  const expired: UserId[] = [];
  for (let i = 0; i < tickets.length; i++) {
    buckets[bucketAt(bIdx[i]!)]++;
    if (now - tickets[i]!.enqueuedAt >= rules.searchTimeoutMs) expired.push(tickets[i]!.userId);
  }
  return { moves, expired, buckets };
}
