import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeRules } from '../../../src/matcher/rules.js';
import { PoolStore } from '../../../src/matcher/store.js';
import { decodeTicket, ticketFromRequest } from '../../../src/matcher/ticket.js';
import { createTestRedis, type TestRedis } from '../../support/redis.js';

const rules = makeRules();

describe('pool Lua scripts on a real Redis', () => {
  let t: TestRedis;
  let store: PoolStore;
  const now = 1_700_000_000_000;
  const ticket = (userId: string, extra: { interests?: string[]; avoid?: string[]; at?: number } = {}) =>
    ticketFromRequest(
      { userId, platform: 'discord', interests: extra.interests ?? ['Music', ' rock '], language: 'EN', avoid: extra.avoid ?? [] },
      extra.at ?? now,
    );

  beforeEach(async () => {
    t = await createTestRedis();
    store = new PoolStore(t.redis, t.prefix);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('enqueue stores a lean ticket, sets searching, logs the change', async () => {
    expect(await store.enqueue(ticket('u1'), rules)).toBe('queued');
    expect(await store.state('u1')).toBe('searching');
    expect(await t.redis.zscore(store.keys.pool, 'u1')).toBe(String(now));
    const raw = await t.redis.hget(store.keys.tickets, 'u1');
    expect(raw).not.toBeNull();
    expect(decodeTicket('u1', raw!)).toEqual({
      userId: 'u1',
      platform: 'discord',
      interests: ['music', 'rock'],
      language: 'en',
      enqueuedAt: now,
      avoid: [],
    });
    const read = await store.readLog('0-0', 0);
    expect(read.entries.map((e) => `${e.op}${e.userId}`)).toEqual(['+u1']);
    expect(read.gap).toBe(false);
  });

  it('a second enqueue answers already_searching, a chatting user already_chatting, a banned one banned', async () => {
    await store.enqueue(ticket('u1'), rules);
    expect(await store.enqueue(ticket('u1'), rules)).toBe('already_searching');
    await store.enqueue(ticket('u2'), rules);
    await store.claim('tok', 3000, [['u1', 'u2']]);
    expect(await store.commit('tok', now, rules, [{ a: 'u1', b: 'u2', sessionId: 'session_0123456789' }])).toEqual(['ok']);
    expect(await store.enqueue(ticket('u1'), rules)).toBe('already_chatting');
    await store.ban('u3', now + 60_000);
    expect(await store.enqueue(ticket('u3'), rules)).toBe('banned');
    await store.unban('u3');
    expect(await store.enqueue(ticket('u3'), rules)).toBe('queued');
  });

  it('an expired ban no longer blocks', async () => {
    await store.ban('u1', now - 1);
    expect(await store.enqueue(ticket('u1'), rules)).toBe('queued');
  });

  it('cancel removes a search, and reports not_searching / chatting otherwise', async () => {
    await store.enqueue(ticket('u1'), rules);
    expect(await store.cancel('u1')).toBe('cancelled');
    expect(await store.state('u1')).toBe('offline');
    expect(await store.poolSize()).toBe(0);
    expect(await t.redis.hexists(store.keys.tickets, 'u1')).toBe(0);
    expect(await store.cancel('u1')).toBe('not_searching');
    await store.restorePair('session_aaaaaaaaaa', 'x', 'y');
    expect(await store.cancel('x')).toBe('chatting');
  });

  it('claim + commit pairs atomically: chatting, partner map, recent partners, pool emptied', async () => {
    await store.enqueue(ticket('a'), rules);
    await store.enqueue(ticket('b'), rules);
    expect(await store.claim('tok', 3000, [['a', 'b']])).toEqual(['ok']);
    const claim = await t.redis.hget(store.keys.claims, 'a');
    expect(claim?.split('\x1f')[0]).toBe('tok');
    expect(Number(claim?.split('\x1f')[1])).toBeGreaterThan(Date.now());
    expect(await store.commit('tok', now + 5, rules, [{ a: 'a', b: 'b', sessionId: 'session_00000000ff' }])).toEqual(['ok']);
    expect(await store.state('a')).toBe('chatting');
    expect(await store.getPartner('a')).toEqual({ partnerId: 'b', sessionId: 'session_00000000ff' });
    expect(await store.getPartner('b')).toEqual({ partnerId: 'a', sessionId: 'session_00000000ff' });
    expect(await store.poolSize()).toBe(0);
    expect(await t.redis.hlen(store.keys.tickets)).toBe(0);
    expect(await t.redis.hlen(store.keys.claims)).toBe(0);
    expect(await t.redis.zrange(`${store.keys.base}recent:a`, 0, -1)).toEqual(['b']);
    const log = await store.readLog('0-0', 0);
    expect(log.entries.map((e) => `${e.op}${e.userId}`)).toEqual(['+a', '+b', '-a', '-b']);
    expect(log.entries[2]!.id).toBe(log.entries[3]!.id); // one log entry per commit
  });

  it('recent partners: the next ticket avoids the last 3 partners within the window', async () => {
    const partners = ['p1', 'p2', 'p3', 'p4'];
    for (const [i, p] of partners.entries()) {
      await store.enqueue(ticket('me', { at: now + i }), rules);
      await store.enqueue(ticket(p, { at: now + i }), rules);
      await store.claim(`t${i}`, 3000, [['me', p]]);
      expect(await store.commit(`t${i}`, now + i, rules, [{ a: 'me', b: p, sessionId: `session_000000000${i}` }])).toEqual(['ok']);
      await store.endPair('me', p, `session_000000000${i}`);
    }
    await store.enqueue(ticket('me', { at: now + 10, avoid: ['blocked1'] }), rules);
    const t1 = decodeTicket('me', (await t.redis.hget(store.keys.tickets, 'me'))!);
    expect(new Set(t1.avoid)).toEqual(new Set(['blocked1', 'p4', 'p3', 'p2']));
    // p1's partner list has only 'me'; outside the 10-minute window nobody is avoided.
    await store.enqueue(ticket('p1', { at: now + 10 * 60_000 + 10 }), rules);
    const t2 = decodeTicket('p1', (await t.redis.hget(store.keys.tickets, 'p1'))!);
    expect(t2.avoid).toEqual([]);
  });

  it('claim reports lost races: gone (cancelled, banned, unknown), claimed by another; commit checks the token', async () => {
    for (const u of ['a', 'b', 'c', 'd', 'e', 'f']) await store.enqueue(ticket(u), rules);
    expect(await store.claim('m1', 3000, [['a', 'b']])).toEqual(['ok']);
    await store.ban('f', now + 60_000);
    expect(await store.claim('m2', 3000, [['a', 'c'], ['d', 'x'], ['e', 'f'], ['d', 'e']])).toEqual([
      'claimed',
      'gone',
      'gone',
      'ok',
    ]);
    // m2 cannot commit m1's claim
    expect(await store.commit('m2', now, rules, [{ a: 'a', b: 'b', sessionId: 'session_000000000a' }])).toEqual(['claimed']);
    expect(await store.state('a')).toBe('searching');
    expect(await store.commit('m2', now, rules, [{ a: 'd', b: 'e', sessionId: 'session_000000000b' }])).toEqual(['ok']);
  });

  it('a user cancelled or banned between claim and commit is never paired; the partner stays waiting', async () => {
    for (const u of ['a', 'b', 'c', 'd']) await store.enqueue(ticket(u), rules);
    expect(await store.claim('m', 3000, [['a', 'b'], ['c', 'd']])).toEqual(['ok', 'ok']);
    expect(await store.cancel('a')).toBe('cancelled');
    expect(await store.ban('d', now + 60_000)).toBe('cancelled');
    expect(
      await store.commit('m', now, rules, [
        { a: 'a', b: 'b', sessionId: 'session_0000000001' },
        { a: 'c', b: 'd', sessionId: 'session_0000000002' },
      ]),
    ).toEqual(['gone', 'gone']);
    expect(await store.state('a')).toBe('offline');
    expect(await store.state('b')).toBe('searching');
    expect(await store.state('c')).toBe('searching');
    expect(await store.state('d')).toBe('offline');
    expect(await t.redis.hlen(store.keys.claims)).toBe(0);
    expect(await store.poolSize()).toBe(2);
  });

  it('claims expire: tickets of a dead matcher become claimable again; housekeeping sweeps leftovers', async () => {
    for (const u of ['a', 'b', 'c', 'd']) await store.enqueue(ticket(u), rules);
    expect(await store.claim('dead', 50, [['a', 'b'], ['c', 'd']])).toEqual(['ok', 'ok']);
    expect(await store.claim('alive', 3000, [['a', 'b']])).toEqual(['claimed']);
    await new Promise((r) => setTimeout(r, 80));
    expect(await store.claim('alive', 3000, [['a', 'b']])).toEqual(['ok']);
    expect(await store.commit('dead', now, rules, [{ a: 'a', b: 'b', sessionId: 'session_0000000001' }])).toEqual(['claimed']);
    expect(await store.commit('alive', now, rules, [{ a: 'a', b: 'b', sessionId: 'session_0000000002' }])).toEqual(['ok']);
    // c and d still carry the dead matcher's expired claims: free for anyone, swept by housekeeping.
    expect(await t.redis.hlen(store.keys.claims)).toBe(2);
    expect((await store.housekeep(Date.now())).claimsSwept).toBe(2);
    expect(await t.redis.hlen(store.keys.claims)).toBe(0);
    expect(await store.poolSize()).toBe(2);
  });

  it('endPair resets both only while they are still in that session', async () => {
    await store.restorePair('session_0000000001', 'a', 'b');
    expect(await store.endPair('a', 'b', 'session_0000000009')).toBe(0);
    expect(await store.endPair('a', 'c', 'session_0000000001')).toBe(0);
    expect(await store.endPair('a', 'b', 'session_0000000001')).toBe(2);
    expect(await store.state('a')).toBe('offline');
    expect(await store.getPartner('b')).toBeNull();
    expect(await store.endPair('a', 'b', 'session_0000000001')).toBe(0);
  });

  it('restorePair drops a waiting ticket of either user', async () => {
    await store.enqueue(ticket('a'), rules);
    await store.restorePair('session_0000000001', 'a', 'b');
    expect(await store.poolSize()).toBe(0);
    expect(await store.getPartner('a')).toEqual({ partnerId: 'b', sessionId: 'session_0000000001' });
  });

  it('expire cancels timed-out searches, except tickets claimed right now', async () => {
    await store.enqueue(ticket('old1', { at: now - 700_000 }), rules);
    await store.enqueue(ticket('old2', { at: now - 650_000 }), rules);
    await store.enqueue(ticket('claimed', { at: now - 700_000 }), rules);
    await store.enqueue(ticket('fresh', { at: now }), rules);
    await store.enqueue(ticket('x', { at: now }), rules);
    await store.claim('m', 3000, [['claimed', 'x']]);
    const expired = await store.expire(now - rules.searchTimeoutMs);
    expect(expired.sort()).toEqual(['old1', 'old2']);
    expect(await store.state('old1')).toBe('offline');
    expect(await store.state('claimed')).toBe('searching');
    expect(await store.poolSize()).toBe(3);
  });

  it('the lease has one holder at a time and can be released only by it', async () => {
    expect(await store.acquireLease('m1', 200)).toBe(true);
    expect(await store.acquireLease('m2', 200)).toBe(false);
    expect(await store.acquireLease('m1', 200)).toBe(true);
    expect(await store.releaseLease('m2')).toBe(false);
    expect(await store.releaseLease('m1')).toBe(true);
    expect(await store.acquireLease('m2', 50)).toBe(true);
    await new Promise((r) => setTimeout(r, 80));
    expect(await store.acquireLease('m1', 200)).toBe(true);
  });

  it('snapshot + readLog: a cursor past trimmed entries reports a gap', async () => {
    const short = new PoolStore(t.redis, t.prefix, { logRetentionMs: 1 });
    for (let i = 0; i < 300; i++) await short.enqueue(ticket(`u${i}`), rules);
    const snap = await short.snapshot();
    expect(Object.keys(snap.tickets)).toHaveLength(300);
    expect(snap.consumed).toBe(300);
    const caughtUp = await short.readLog(snap.cursor, snap.consumed);
    expect(caughtUp).toMatchObject({ entries: [], gap: false, consumed: 300 });
    await new Promise((r) => setTimeout(r, 5));
    for (let i = 300; i < 600; i++) await short.enqueue(ticket(`u${i}`), rules);
    const lagging = await short.readLog(snap.cursor, snap.consumed);
    expect(lagging.gap).toBe(true);
    // A reader that keeps up never sees a gap, even with aggressive trimming.
    const fresh = await short.snapshot();
    await short.enqueue(ticket('last'), rules);
    expect(await short.readLog(fresh.cursor, fresh.consumed)).toMatchObject({ gap: false, consumed: 601 });
  });

  it('keeps a waiting ticket well under 1 KB of Redis', async () => {
    const before = await t.redis.memory('USAGE', store.keys.tickets);
    expect(before).toBeNull();
    for (let i = 0; i < 1000; i++) {
      await store.enqueue(
        ticketFromRequest({ userId: crypto.randomUUID(), platform: 'telegram', interests: ['music', 'games', 'travel'], language: 'en' }, now),
        rules,
      );
    }
    let bytes = 0;
    for (const key of [store.keys.pool, store.keys.tickets, store.keys.users, store.keys.log]) {
      bytes += Number(await t.redis.memory('USAGE', key, 'SAMPLES', 0));
    }
    expect(bytes / 1000).toBeLessThan(1024);
  });
});
