import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pair, relayedTexts, startChatWorld, type ChatWorld } from './helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('idle timeout and retention', () => {
  let w: ChatWorld;
  beforeAll(async () => {
    w = await startChatWorld({ idleTimeoutS: 1, searchTimeoutS: 1, retentionDays: 7 });
  });
  afterAll(async () => {
    await w.t.stop();
  });

  it('ends a silent chat after IDLE_TIMEOUT_S, re-armed by activity', async () => {
    const a = w.fake.user('5001');
    const b = w.fake.user('5002');
    await pair(a, b);
    await sleep(600);
    await a.say('still here');
    await sleep(700);
    await w.settle();
    // 1.3 s after the start but only 0.7 s after the last message: still on.
    expect(a.texts().some((t) => /nobody wrote/.test(t))).toBe(false);
    expect(relayedTexts(b)).toEqual(['still here']);
    await b.waitFor((t) => /nobody wrote for a while/.test(t), 5000);
    await a.waitFor((t) => /nobody wrote for a while/.test(t), 5000);
    const session = await w.t.app.prisma.session.findFirstOrThrow({ where: { userA: { externalId: { in: ['5001', '5002'] } } } });
    expect(session.endReason).toBe('idle');
  });

  it('gives up a search after SEARCH_TIMEOUT_S and says so', async () => {
    const lonely = w.fake.user('5201');
    await lonely.command('find', 'xylophone lang:eo');
    await lonely.waitFor((t) => /Nobody was found/.test(t), 8000);
    const row = await w.t.app.prisma.user.findFirstOrThrow({ where: { externalId: '5201' } });
    expect(row.status).toBe('offline');
    await lonely.command('find');
    await w.settle();
    expect(lonely.texts().at(-1)).toMatch(/Looking for a stranger/);
    await lonely.command('stop');
  });

  it('purges message content older than RETENTION_DAYS and keeps session metadata', async () => {
    const a = w.fake.user('5101');
    const b = w.fake.user('5102');
    await pair(a, b);
    await a.say('old words');
    await a.say('new words');
    await a.command('stop');
    await w.settle();
    const prisma = w.t.app.prisma;
    const old = await prisma.message.findFirstOrThrow({ where: { text: 'old words' } });
    await prisma.message.update({ where: { id: old.id }, data: { createdAt: new Date(Date.now() - 8 * 86_400_000) } });
    expect(await w.t.app.retention.purgeNow()).toEqual({ messages: 1, snapshots: 0 });
    const after = await prisma.message.findUniqueOrThrow({ where: { id: old.id } });
    expect(after.text).toBeNull();
    expect(after.content).toBeNull();
    expect(after.purgedAt).not.toBeNull();
    expect(await prisma.message.count({ where: { text: 'new words' } })).toBe(1);
    const session = await prisma.session.findUniqueOrThrow({ where: { id: old.sessionId } });
    expect(session.endReason).toBe('stop');
    await a.command('history');
    await w.settle();
    expect(a.texts().at(-1)).toMatch(/you sent 2/);
  });
});
