import { describe, expect, it } from 'vitest';
import { DeliveryError, texts } from '../../../src/core/index.js';
import { FakeTransport } from '../../fakes/fake-transport.js';
import { flushPrefix, startTestApp, TEST_REDIS_URL } from '../../support/app.js';
import { pair, relayedTexts } from './helpers.js';

describe('restart with deliveries still queued', () => {
  it('delivers what the stopped process had accepted but not delivered', async () => {
    const before = new FakeTransport('telegram');
    const first = await startTestApp(() => [before]);
    const a = before.user('6001');
    const b = before.user('6002');
    await pair(a, b);
    // B's chat is rate limited for a long time when the process stops.
    before.failNext('6002', new DeliveryError('rate_limited', 429, 'Too Many Requests', 20_000));
    await a.say('sent before the restart');
    await a.say('and another one');
    await first.stopKeepingData();
    expect(relayedTexts(b)).toEqual([]);

    const after = new FakeTransport('telegram');
    const second = await startTestApp(() => [after], { resumeGraceMs: 0 }, undefined, { db: first.db, prefix: first.prefix });
    try {
      const b2 = after.user('6002');
      await b2.waitFor((t) => t === 'and another one', 10_000);
      await second.app.settle();
      expect(relayedTexts(b2)).toEqual(['sent before the restart', 'and another one']);
      const copies = await second.app.prisma.message.count({ where: { copyMessageId: { not: null } } });
      expect(copies).toBe(2);
      // The chat goes on in the new process, and nothing is repeated.
      // (update ids restart with the new fake, and the shared ledger has seen the old ones)
      await after.user('6001').say('after', { updateId: 'after-restart-1' });
      await second.app.settle();
      expect(relayedTexts(b2)).toEqual(['sent before the restart', 'and another one', 'after']);
    } finally {
      await second.stopKeepingData();
      await flushPrefix(TEST_REDIS_URL, first.prefix);
      await first.db.drop();
    }
  }, 60_000);
});

describe('restart after a message the platform refused', () => {
  it('tells the sender once and does not send it again after the restart', async () => {
    const before = new FakeTransport('telegram');
    const first = await startTestApp(() => [before]);
    const a = before.user('6101');
    const b = before.user('6102');
    await pair(a, b);
    before.failNext('6102', new DeliveryError('rejected', 400, 'Bad Request: message is too long'));
    await a.say('refused by the platform');
    await first.app.settle();
    expect(a.texts().at(-1)).toBe(texts.NOT_DELIVERED);
    await a.say('this one arrives', { updateId: 'ok-1' });
    await first.app.settle();
    expect(relayedTexts(b)).toEqual(['this one arrives']);
    const failed = await first.app.prisma.message.findMany({ where: { failedAt: { not: null } }, select: { text: true } });
    expect(failed).toEqual([{ text: 'refused by the platform' }]);
    await first.stopKeepingData();

    const after = new FakeTransport('telegram');
    const second = await startTestApp(() => [after], { resumeGraceMs: 0 }, undefined, { db: first.db, prefix: first.prefix });
    try {
      await second.app.settle();
      await after.user('6101').say('after', { updateId: 'after-refusal-1' });
      await second.app.settle();
      const b2 = after.user('6102');
      expect(relayedTexts(b2)).toEqual(['after']);
      expect(after.user('6101').texts()).not.toContain(texts.NOT_DELIVERED);
    } finally {
      await second.stopKeepingData();
      await flushPrefix(TEST_REDIS_URL, first.prefix);
      await first.db.drop();
    }
  }, 60_000);
});
