import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeUser } from '../../fakes/fake-transport.js';
import { pair, sleep, startModWorld, type ModWorld } from './helpers.js';

/** Both search; true when they were paired with each other within `ms`. */
async function meet(w: ModWorld, a: FakeUser, b: FakeUser, ms = 600): Promise<boolean> {
  await a.command('find');
  await b.command('find');
  await sleep(ms);
  await w.settle();
  const live = await w.t.app.matching.partnerOf(await w.userId(a));
  return live !== null && live.partnerId === (await w.userId(b));
}

async function stopAll(w: ModWorld, ...users: FakeUser[]): Promise<void> {
  for (const u of users) await u.command('stop');
  await w.settle();
}

describe('blocks and reports keep two people apart in later matching', () => {
  let w: ModWorld;
  beforeAll(async () => {
    w = await startModWorld();
  });
  afterAll(async () => {
    await w.t.stop();
  });

  it('control: without a block, two former partners meet again once recent-partner memory is gone', async () => {
    const x = w.fake.user('8001');
    const y = w.fake.user('8002');
    await pair(x, y);
    await stopAll(w, x);
    await w.forgetRecentPartners(x, y);
    expect(await meet(w, x, y)).toBe(true);
    await stopAll(w, x);
  });

  it('/block after a chat: never matched again, while both still meet others', async () => {
    const a = w.fake.user('8101');
    const b = w.fake.user('8102');
    const c = w.fake.user('8103');
    await pair(a, b);
    await stopAll(w, a);
    await a.command('block');
    await w.settle();
    expect(a.texts().at(-1)).toBe('Done. You will not be matched with that person again.');
    await w.forgetRecentPartners(a, b);
    expect(await meet(w, a, b)).toBe(false);
    // Both are still waiting; a third person is matched with one of them.
    await c.command('find');
    await c.waitFor((t) => /connected to a stranger/.test(t));
    const partner = await w.t.app.matching.partnerOf(await w.userId(c));
    expect([await w.userId(a), await w.userId(b)]).toContain(partner?.partnerId);
    await stopAll(w, a, b, c);
  });

  it('the blocked side is kept apart too (it works both ways)', async () => {
    const a = w.fake.user('8201');
    const b = w.fake.user('8202');
    await pair(a, b);
    await stopAll(w, b);
    await b.command('block');
    await w.forgetRecentPartners(a, b);
    // a searches first this time: the avoid set of either ticket is enough.
    expect(await meet(w, a, b)).toBe(false);
    await stopAll(w, a, b);
  });

  it('a report keeps reporter and reported apart', async () => {
    const d = w.fake.user('8301');
    const e = w.fake.user('8302');
    await pair(d, e);
    await d.command('report', 'other weird stuff');
    await stopAll(w, d);
    // Remove the block the report also made: the report alone must be enough.
    await w.t.app.prisma.block.deleteMany();
    await w.forgetRecentPartners(d, e);
    expect(await meet(w, d, e)).toBe(false);
    await stopAll(w, d, e);
  });
});
