import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../src/core/index.js';
import { FakeTransport } from '../../fakes/fake-transport.js';
import { flushPrefix, TEST_REDIS_URL } from '../../support/app.js';
import { pair, relayedTexts, startChatWorld, type ChatWorld } from './helpers.js';

describe('relay robustness', () => {
  let w: ChatWorld;
  beforeAll(async () => {
    w = await startChatWorld({ floodMax: 8, floodWindowS: 5 });
  });
  afterAll(async () => {
    await w.t.stop();
  });

  it('ends the session when the partner becomes unreachable and tells the sender once', async () => {
    const a = w.fake.user('4001');
    const b = w.fake.user('4002');
    await pair(a, b);
    w.fake.failAlways('4002', new DeliveryError('permanent', 403, 'Forbidden: bot was blocked by the user'));
    await a.say('are you there?');
    await a.say('hello?');
    await w.settle();
    const told = a.texts().filter((t) => /can no longer be reached/.test(t));
    expect(told).toHaveLength(1);
    const session = await w.t.app.prisma.session.findFirst({ where: { userA: { externalId: { in: ['4001', '4002'] } } } });
    expect(session?.endReason).toBe('unreachable');
    await a.say('still there?');
    await w.settle();
    expect(a.texts().at(-1)).toMatch(/not in a chat/);
  });

  it('waits out a 429 retry_after without losing or reordering messages', async () => {
    const a = w.fake.user('4101');
    const b = w.fake.user('4102');
    await pair(a, b);
    w.fake.failNext('4102', new DeliveryError('rate_limited', 429, 'Too Many Requests: retry after 1', 300));
    const started = Date.now();
    for (let i = 0; i < 5; i++) await a.say(`m${i}`);
    await w.settle();
    expect(relayedTexts(b)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('retries transient failures and relays a duplicated update once', async () => {
    const a = w.fake.user('4201');
    const b = w.fake.user('4202');
    await pair(a, b);
    w.fake.failNext('4202', new DeliveryError('transient', 'ECONNRESET', 'socket hang up'), 2);
    await a.say('once', { updateId: 'dup-1' });
    await a.say('once', { updateId: 'dup-1' });
    await w.settle();
    expect(relayedTexts(b)).toEqual(['once']);
  });

  it('stops relaying past the flood limit and says so once', async () => {
    const a = w.fake.user('4301');
    const b = w.fake.user('4302');
    await pair(a, b);
    for (let i = 0; i < 12; i++) await a.say(`f${i}`);
    await w.settle();
    expect(relayedTexts(b)).toHaveLength(8);
    expect(a.texts().filter((t) => /Slow down/.test(t))).toHaveLength(1);
  });

  it('splits text over the partner limit and refuses what would take too many messages', async () => {
    const small = new FakeTransport('discord', { maxTextLength: 100 });
    const w2 = await startChatWorld({}, small);
    try {
      const a = small.user('4401');
      const b = small.user('4402');
      await pair(a, b);
      const long = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');
      await a.say(long);
      await a.say('x'.repeat(1000));
      await w2.settle();
      const parts = relayedTexts(b);
      expect(parts.length).toBeGreaterThan(1);
      expect(parts.join(' ')).toBe(long);
      expect(a.texts().at(-1)).toMatch(/too long/);
    } finally {
      await w2.t.stop();
    }
  });

  it('keeps relaying after Redis lost everything (pair map rebuilt from Postgres)', async () => {
    const a = w.fake.user('4501');
    const b = w.fake.user('4502');
    await pair(a, b);
    await a.say('before');
    await w.settle();
    await flushPrefix(TEST_REDIS_URL, w.t.prefix);
    await a.say('after');
    await b.say('reply after');
    await w.settle();
    expect(relayedTexts(b)).toEqual(['before', 'after']);
    expect(relayedTexts(a)).toEqual(['reply after']);
  });

  it('never sends one participant anything that identifies the other', async () => {
    const a = w.fake.user('98765001', { username: 'secret_alice', displayName: 'Alice Secretname' });
    const b = w.fake.user('98765002', { username: 'hidden_bob', displayName: 'Bob Hiddenname' });
    await pair(a, b, 'music');
    await a.say('hi, music fan');
    await a.say({ kind: 'media', media: 'photo', file: { platform: 'telegram', fileId: 'AgAC-photo' }, caption: 'look' });
    await b.say('hey');
    await a.command('stop');
    await w.settle();
    const scan = (to: string, secrets: string[]) => {
      for (const r of w.fake.sentTo(to)) {
        // origin names the sender's chat for the platform's copy API only; it is not shown.
        const shown = r.outbound.kind === 'relay' ? { ...r.outbound, origin: undefined } : r.outbound;
        const payload = JSON.stringify(shown);
        for (const s of secrets) expect(payload).not.toContain(s);
      }
    };
    scan('98765002', ['98765001', 'secret_alice', 'Alice', 'Secretname']);
    scan('98765001', ['98765002', 'hidden_bob', 'Bob', 'Hiddenname']);
  });

  it('/deletemydata asks first, then erases messages, comments and preferences and ends the chat', async () => {
    const a = w.fake.user('4601');
    const b = w.fake.user('4602');
    await a.command('settings', 'chess lang:de');
    await pair(a, b, 'chess');
    await a.say('my secret words');
    await b.say('partner words');
    await a.command('deletemydata');
    await w.settle();
    expect(a.texts().at(-1)).toMatch(/erases your stored messages/);
    const user = await w.t.app.prisma.user.findFirstOrThrow({ where: { externalId: '4601' } });
    expect(await w.t.app.prisma.message.count({ where: { senderId: user.id, text: { not: null } } })).toBe(1);
    await a.press('delete_confirm');
    await w.settle();
    expect(a.texts().at(-1)).toMatch(/data has been erased/);
    expect(b.texts()).toContain('The stranger left the chat.');
    const after = await w.t.app.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.interests).toEqual([]);
    expect(after.language).toBeNull();
    expect(after.dataDeletedAt).not.toBeNull();
    expect(await w.t.app.prisma.message.count({ where: { senderId: user.id, text: { not: null } } })).toBe(0);
    const partner = await w.t.app.prisma.user.findFirstOrThrow({ where: { externalId: '4602' } });
    expect(await w.t.app.prisma.message.count({ where: { senderId: partner.id, text: 'partner words' } })).toBe(1);
    const session = await w.t.app.prisma.session.findFirst({ where: { userAId: { in: [user.id, partner.id] } }, orderBy: { startedAt: 'desc' } });
    expect(session?.endReason).toBe('data_deleted');
  });
});
