import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors.js';
import { FIFO } from '../../../src/matcher/engine.js';
import { Matchmaker, type MatchmakerOptions } from '../../../src/matcher/service.js';
import { createTestRedis, type TestRedis } from '../../support/redis.js';
import { assertNoDoublePairs, find, RecordingSink } from './helpers.js';

describe('Matchmaker on a real Redis', () => {
  let t: TestRedis;
  let sink: RecordingSink;
  const matchers: Matchmaker[] = [];
  const make = (extra: Partial<MatchmakerOptions> = {}): Matchmaker => {
    const m = new Matchmaker({ redis: t.redis, prefix: t.prefix, sink, seed: 42, ...extra });
    matchers.push(m);
    return m;
  };

  beforeEach(async () => {
    t = await createTestRedis();
    sink = new RecordingSink();
  });
  afterEach(async () => {
    await Promise.all(matchers.splice(0).map((m) => m.stop()));
    await t.cleanup();
  });

  it('pairs two untagged users in the next window and reports the pair to the sink', async () => {
    const m = make();
    const a = find('a');
    const b = find('b');
    expect(await m.enqueue(a)).toMatchObject({ status: 'queued' });
    expect(await m.enqueue(b)).toMatchObject({ status: 'queued' });
    expect(await m.enqueue(a)).toEqual({ status: 'already_searching' });
    expect(await m.state(a.userId)).toBe('searching');
    const report = await m.runWindow();
    expect(report).toMatchObject({ waiting: 2, proposed: 1, committed: 1, lost: {} });
    expect(sink.pairs).toHaveLength(1);
    const pair = sink.pairs[0]!;
    expect(new Set([pair.userA, pair.userB])).toEqual(new Set([a.userId, b.userId]));
    expect(pair.sessionId).toMatch(/^session_[0-9a-f]{10}$/);
    expect(pair.waitedMsA).toBeGreaterThanOrEqual(0);
    expect(await m.state(a.userId)).toBe('chatting');
    expect(await m.getPartner(a.userId)).toEqual({ partnerId: b.userId, sessionId: pair.sessionId });
    expect(await m.partnerOf(b.userId)).toEqual({ partnerId: a.userId, sessionId: pair.sessionId });
    expect(await m.enqueue(a)).toEqual({ status: 'already_chatting' });
    await m.endPair(pair.sessionId, a.userId, b.userId);
    expect(await m.state(a.userId)).toBe('offline');
    expect(await m.state(b.userId)).toBe('offline');
  });

  it('the next search avoids the previous partner', async () => {
    const m = make({ rules: { bucketEdgesMs: [1, 2, 3] } });
    const a = find('a');
    const b = find('b');
    await m.enqueue(a);
    await m.enqueue(b);
    await m.runWindow();
    await m.endPair(sink.pairs[0]!.sessionId, a.userId, b.userId);
    await m.enqueue(a);
    await m.enqueue(b);
    await new Promise((r) => setTimeout(r, 5)); // both in bucket D: anyone compatible
    expect((await m.runWindow()).proposed).toBe(0);
    const c = find('c');
    await m.enqueue(c);
    await m.runWindow();
    expect(sink.pairs).toHaveLength(2);
    expect(sink.partnerOf(c.userId)).toBeDefined();
    expect(await m.state(a.userId)).not.toBe(await m.state(b.userId)); // one chats with c, one waits
  });

  it('pairs by shared interest first, and the sink gets the shared interests', async () => {
    const m = make();
    await m.enqueue(find('music1', { interests: ['Music', 'jazz'], language: 'en' }));
    await m.enqueue(find('chess1', { interests: ['chess'], language: 'en' }));
    await m.enqueue(find('music2', { interests: ['jazz', 'music'], language: 'en' }));
    await m.enqueue(find('chess2', { interests: ['CHESS'], language: 'en' }));
    await m.runWindow();
    expect(sink.pairs).toHaveLength(2);
    for (const p of sink.pairs) {
      expect(p.userA.replace(/\d.*$/, '')).toBe(p.userB.replace(/\d.*$/, ''));
      expect(p.score).toBeCloseTo(1.25);
    }
    const shared = sink.pairs.map((p) => [...p.sharedInterests].sort().join(',')).sort();
    expect(shared).toEqual(['chess', 'jazz,music']);
  });

  it('a user who cancels between the window read and the commit is never paired', async () => {
    const cancelled: string[] = [];
    const m = make({
      hooks: {
        beforeCommit: async (pairs) => {
          const victim = pairs[0]!.b;
          cancelled.push(victim);
          expect(await m.cancel(victim)).toBe('cancelled');
        },
      },
    });
    const users = [find('a'), find('b')];
    for (const u of users) await m.enqueue(u);
    const report = await m.runWindow();
    expect(report).toMatchObject({ proposed: 1, committed: 0, lost: { gone: 1 } });
    expect(sink.pairs).toEqual([]);
    expect(await m.state(cancelled[0]!)).toBe('offline');
    const survivor = users.find((u) => u.userId !== cancelled[0])!;
    expect(await m.state(survivor.userId)).toBe('searching');
    // The survivor is looked at again in the next window and pairs with a newcomer.
    const c = find('c');
    await m.enqueue(c);
    const m2 = make();
    await m2.runWindow();
    expect(sink.partnerOf(survivor.userId)).toBe(c.userId);
  });

  it('a user banned mid-window is never paired; banned users cannot search', async () => {
    const m = make({
      hooks: {
        beforeCommit: async (pairs) => {
          expect(await m.ban(pairs[0]!.a)).toBe('cancelled');
        },
      },
    });
    const a = find('a');
    const b = find('b');
    await m.enqueue(a);
    await m.enqueue(b);
    expect(await m.runWindow()).toMatchObject({ committed: 0, lost: { gone: 1 } });
    expect(sink.pairs).toEqual([]);
    const banned = (await m.state(a.userId)) === 'offline' ? a : b;
    expect(await m.enqueue(banned)).toEqual({ status: 'banned' });
    await expect(m.search({ ...banned, interests: [], language: null, avoid: [] })).rejects.toBeInstanceOf(UserError);
    await m.unban(banned.userId);
    expect(await m.search({ ...banned, interests: [], language: null, avoid: [] })).toBe('queued');
  });

  it('MatchingPort: search, cancelSearch, partnerOf, restorePair, endPair, exclude', async () => {
    const m = make();
    const req = { userId: 'u-port', platform: 'web' as const, interests: ['Films'], language: null, avoid: [] };
    expect(await m.search(req)).toBe('queued');
    expect(await m.search(req)).toBe('already_searching');
    expect(await m.cancelSearch('u-port')).toBe(true);
    expect(await m.cancelSearch('u-port')).toBe(false);
    await m.restorePair('session_abcdefabcd', 'u-port', 'u-other');
    expect(await m.partnerOf('u-other')).toEqual({ partnerId: 'u-port', sessionId: 'session_abcdefabcd' });
    expect(await m.search(req)).toBe('already_chatting');
    await m.endPair('session_abcdefabcd', 'u-port', 'u-other');
    expect(await m.partnerOf('u-port')).toBeNull();
    await m.search(req);
    await m.exclude('u-port');
    expect(await m.state('u-port')).toBe('offline');
    await expect(m.search(req)).rejects.toMatchObject({ code: 'banned' });
  });

  it('rejects bad input as UserError(bad_arguments)', async () => {
    const m = make();
    await expect(m.enqueue(find('x', { interests: Array.from({ length: 11 }, (_, i) => `t${i}`) }))).rejects.toMatchObject({
      code: 'bad_arguments',
    });
    await expect(m.enqueue(find('x', { language: 'english please' }))).rejects.toMatchObject({ code: 'bad_arguments' });
    expect(() => make({ windowMs: 10 })).toThrow(RangeError);
  });

  it('rebalance times out old searches and tells the sink', async () => {
    let now = Date.now();
    const m = make({ clock: () => now, searchTimeoutS: 600 });
    const old = find('old');
    await m.enqueue(old);
    now += 601_000;
    const fresh = find('fresh', { interests: ['rare-tag'] });
    await m.enqueue(fresh);
    const report = await m.rebalance();
    expect(report.expired).toEqual([old.userId]);
    expect(report.waiting).toBe(1);
    expect(report.buckets).toEqual({ A: 1, B: 0, C: 0, D: 0 });
    expect(sink.timeouts).toEqual([old.userId]);
    expect(await m.state(old.userId)).toBe('offline');
    expect((await m.runWindow()).proposed).toBe(0);
  });

  it('the loop pairs arrivals within a window or two', async () => {
    const m = make({ windowMs: 50 });
    m.start();
    const started = Date.now();
    await m.enqueue(find('a'));
    await m.enqueue(find('b'));
    await sink.waitForPairs(1, 2000);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(m.metrics()).toMatchObject({ leader: true, pairs: 1 });
    await m.stop();
    expect(await t.redis.get(m.store.keys.lease)).toBeNull();
  });

  it('the mirror resyncs from a snapshot when it fell behind the trimmed log', async () => {
    const m = make({ logRetentionMs: 1, engine: FIFO });
    await m.runWindow();
    const writer = make({ logRetentionMs: 1 });
    for (let i = 0; i < 400; i++) await writer.enqueue(find('lag'));
    await new Promise((r) => setTimeout(r, 5));
    await writer.enqueue(find('lag'));
    await writer.cancel((await t.redis.zrange(writer.store.keys.pool, 0, 0))[0]!);
    const before = m.metrics().resyncs;
    const report = await m.runWindow();
    expect(m.metrics().resyncs).toBe(before + 1);
    expect(report.waiting).toBe(400);
    expect(report.committed).toBe(200);
    assertNoDoublePairs(sink.pairs);
  });

  it('FIFO baseline pairs strictly in arrival order, ignoring interests', async () => {
    const m = make({ engine: FIFO });
    const users = [
      find('f1', { interests: ['a'] }),
      find('f2', { interests: ['b'] }),
      find('f3', { interests: ['a'] }),
      find('f4', { interests: ['b'] }),
    ];
    let now = Date.now();
    const clocked = make({ engine: FIFO, clock: () => now++ });
    for (const u of users) await clocked.enqueue(u);
    await m.runWindow();
    expect(sink.pairs.map((p) => [p.userA, p.userB])).toEqual([
      [users[0]!.userId, users[1]!.userId],
      [users[2]!.userId, users[3]!.userId],
    ]);
  });
});
