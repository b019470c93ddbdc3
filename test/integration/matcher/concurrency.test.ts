import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ESMM } from '../../../src/matcher/engine.js';
import { createRng } from '../../../src/matcher/rng.js';
import { Matchmaker } from '../../../src/matcher/service.js';
import { createTestRedis, type TestRedis } from '../../support/redis.js';
import { assertNoDoublePairs, RecordingSink } from './helpers.js';

const TAGS = ['music', 'games', 'films', 'books', 'sport', 'travel', 'art', 'code', 'food', 'pets'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('several matchers on one pool', () => {
  let t: TestRedis;
  beforeEach(async () => {
    t = await createTestRedis();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('two matchers windowing the same pool concurrently: zero double pairs, zero lost tickets', async () => {
    const sink = new RecordingSink();
    const rules = { bucketEdgesMs: [100, 200, 400] as [number, number, number] };
    const matchers = [1, 2].map(
      (seed) =>
        new Matchmaker({
          redis: t.connect(),
          prefix: t.prefix,
          sink,
          seed,
          rules,
          windowMs: 20,
          exclusive: false, // both run every window: safety must come from claim/commit alone
          engine: ESMM,
        }),
    );
    for (const m of matchers) m.start();
    const producer = new Matchmaker({ redis: t.redis, prefix: t.prefix, sink, seed: 3 });
    const rng = createRng(99);
    const total = 3000;
    const users: string[] = [];
    const cancelled = new Set<string>();
    for (let i = 0; i < total; i += 100) {
      await Promise.all(
        Array.from({ length: 100 }, async (_, k) => {
          const userId = `u${i + k}`;
          users.push(userId);
          const interests = TAGS.filter(() => rng() < 0.2);
          const language = rng() < 0.7 ? 'en' : 'es';
          await producer.enqueue({ userId, platform: 'telegram', interests, language });
        }),
      );
      // Some users give up while the matchers are working.
      for (let k = 0; k < 5; k++) {
        const victim = `u${Math.floor(rng() * (i + 100))}`;
        if ((await producer.cancel(victim)) === 'cancelled') cancelled.add(victim);
      }
      await sleep(10);
    }
    // Everyone reaches bucket D (anyone compatible) within 400 ms; wait for the pool to settle.
    for (let i = 0; i < 100 && (await producer.store.poolSize()) > 1; i++) await sleep(50);
    await Promise.all(matchers.map((m) => m.stop()));

    const paired = assertNoDoublePairs(sink.pairs);
    const waiting = new Set(await t.redis.zrange(producer.store.keys.pool, 0, -1));
    expect(waiting.size).toBeLessThanOrEqual(1);
    for (const u of users) {
      const where = [paired.has(u), cancelled.has(u), waiting.has(u)].filter(Boolean).length;
      expect(where, `${u} must be paired, cancelled or waiting (exactly one)`).toBe(1);
    }
    expect(sink.pairs.length * 2 + cancelled.size + waiting.size).toBe(total);
    // Redis agrees with what the sink was told.
    const states = await t.redis.hgetall(producer.store.keys.users);
    for (const p of sink.pairs) {
      expect(states[p.userA]).toBe(`c\x1f${p.userB}\x1f${p.sessionId}`);
      expect(states[p.userB]).toBe(`c\x1f${p.userA}\x1f${p.sessionId}`);
    }
    expect(new Set(sink.pairs.map((p) => p.sessionId)).size).toBe(sink.pairs.length);
    const [m1, m2] = matchers.map((m) => m.metrics());
    expect(m1!.pairs).toBeGreaterThan(0);
    expect(m2!.pairs).toBeGreaterThan(0);
    expect(m1!.pairs + m2!.pairs).toBe(sink.pairs.length);
  }, 60_000);

  it('a matcher killed between claim and commit strands nobody: claims expire, tickets pair within 5 s', async () => {
    const seedMatcher = new Matchmaker({ redis: t.redis, prefix: t.prefix, sink: new RecordingSink() });
    const total = 200;
    for (let i = 0; i < total; i++) await seedMatcher.enqueue({ userId: `k${i}`, platform: 'discord' });

    const script = fileURLToPath(new URL('./fixtures/crash-after-claim.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, t.prefix], {
      cwd: fileURLToPath(new URL('../../..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    const killedAt = Date.now();
    expect(signal).toBe('SIGKILL');
    expect(out).toMatch(/claimed 100/);
    expect(await t.redis.hlen(`${t.prefix}:mm:claims`)).toBe(total);
    expect(await seedMatcher.store.poolSize()).toBe(total); // nothing left the pool

    const sink = new RecordingSink();
    const survivor = new Matchmaker({ redis: t.connect(), prefix: t.prefix, sink, windowMs: 50 });
    survivor.start();
    await sink.waitForPairs(total / 2, 5000);
    const elapsed = Date.now() - killedAt;
    await survivor.stop();
    expect(elapsed).toBeLessThan(5000);
    expect(assertNoDoublePairs(sink.pairs).size).toBe(total);
    expect(await seedMatcher.store.poolSize()).toBe(0);
  }, 30_000);

  it('the lease lets one matcher run windows at a time and passes on when it stops', async () => {
    const sink = new RecordingSink();
    const make = (id: string) =>
      new Matchmaker({ redis: t.connect(), prefix: t.prefix, sink, instanceId: id, windowMs: 20, leaseTtlMs: 500 });
    const m1 = make('m1');
    const m2 = make('m2');
    m1.start();
    await sleep(60);
    m2.start();
    await sleep(100);
    expect([m1.metrics().leader, m2.metrics().leader]).toEqual([true, false]);
    expect(m2.metrics().windows).toBe(0);
    await m1.enqueue({ userId: 'l1', platform: 'web' });
    await m1.enqueue({ userId: 'l2', platform: 'web' });
    await sink.waitForPairs(1, 2000);
    await m1.stop();
    await sleep(100);
    expect(m2.metrics().leader).toBe(true);
    await m2.enqueue({ userId: 'l3', platform: 'web' });
    await m2.enqueue({ userId: 'l4', platform: 'web' });
    await sink.waitForPairs(2, 2000);
    await m2.stop();
    expect(m2.metrics().windows).toBeGreaterThan(0);
  });
});
