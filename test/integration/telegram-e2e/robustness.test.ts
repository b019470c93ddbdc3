import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupHintText } from '../../../src/bots/telegram/texts.js';
import { texts } from '../../../src/core/index.js';
import { telegramErrors } from '../../fakes/telegram-bot-api.js';
import type { Json, RecordedCall, SimulatedUser } from '../../fakes/telegram-bot-api.js';
import { expectAnonymousBothWays, expectNothingIdentifies, RATE_PROMPT, startTelegramWorld } from './world.js';
import type { TelegramWorld } from './world.js';

/*
 * Telegram's failure modes and odd inputs, end to end: rate limits, people who blocked the
 * bot, group chats, oversized text, unknown commands and re-delivered updates.
 */

let w: TelegramWorld;
beforeAll(async () => {
  w = await startTelegramWorld();
});
afterAll(async () => {
  await w?.stop();
});

const escape = (s: string): RegExp => new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

/** The texts `to` sees in its chat from relayed messages, oldest first. */
const relayedTexts = (to: SimulatedUser, from: SimulatedUser): string[] => {
  const copied = new Set(
    w.fake
      .calls((c) => c.chatId === to.id && c.response.ok && c.method === 'copyMessage' && c.params.from_chat_id === String(from.id))
      .map((c) => (c.response.result as { message_id: number }).message_id),
  );
  return w
    .botMessages(to)
    .filter((m) => copied.has(Number(m.message_id)))
    .map((m) => String(m.text));
};

async function sessionOf(a: SimulatedUser, b: SimulatedUser) {
  const [ua, ub] = await Promise.all([w.userRow(a), w.userRow(b)]);
  return w.t.app.prisma.session.findFirstOrThrow({ where: { userAId: { in: [ua.id, ub.id] }, userBId: { in: [ua.id, ub.id] } } });
}

describe('Telegram end to end: failures and edge cases', () => {
  it("a 429 with retry_after on the partner's chat delays delivery without loss or reordering", async () => {
    const a = w.person(731_500_101, 'Evangelina', 'Stormcrest', 'evan_s_101');
    const b = w.person(731_500_102, 'Mortimer', 'Glasswater', 'mort_g_102');
    await w.pair(a, b);
    const since = w.fake.calls().length;
    w.fake.failNext(b.id, 'copyMessage', telegramErrors.tooManyRequests(1));
    const sent = ['m0', 'm1', 'm2', 'm3', 'm4'].map((t) => a.text(t));
    await w.processed(...sent);

    const copies = w.fake.calls().slice(since).filter((c) => c.chatId === b.id && c.method === 'copyMessage');
    expect(copies.map((c) => [c.params.message_id, c.response.ok])).toEqual([
      [sent[0]?.messageId, false],
      ...sent.map((s) => [s.messageId, true]),
    ]);
    const [limited, retried] = copies as [RecordedCall, RecordedCall];
    expect(limited.response.error?.error_code).toBe(429);
    // retry_after is 1 s: nothing went to B's chat before it had passed.
    expect(retried.at - limited.at).toBeGreaterThanOrEqual(950);
    expect(relayedTexts(b, a)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    // A is not bothered with it.
    expect(w.fake.calls().slice(since).filter((c) => c.chatId === a.id && c.method === 'sendMessage')).toHaveLength(0);
    expectAnonymousBothWays(w, a, b);
  });

  it('a partner who blocked the bot (403 on send) ends the session and the sender is told', async () => {
    const a = w.person(731_500_201, 'Isadora', 'Penhallow', 'isa_p_201');
    const b = w.person(731_500_202, 'Barnaby', 'Wrenfield', 'barn_w_202');
    await w.pair(a, b);
    w.fake.failAlways(b.id, telegramErrors.blocked());
    const since = w.fake.calls().length;
    await w.processed(a.text('are you there?'));
    await w.told(a, escape(texts.PARTNER_UNREACHABLE), since);
    await w.told(a, RATE_PROMPT, since);

    const session = await sessionOf(a, b);
    expect(session.endReason).toBe('unreachable');
    expect(session.endedAt).not.toBeNull();
    // One failed attempt, then the bot stops writing to a chat that refuses it.
    const toB = w.fake.calls().slice(since).filter((c) => c.chatId === b.id);
    expect(toB.map((c) => [c.method, c.response.error?.error_code])).toEqual([['copyMessage', 403]]);

    await w.processed(a.text('hello?'));
    await w.told(a, escape(texts.NOT_IN_CHAT_MESSAGE), since);
    expect(w.fake.calls().slice(since).filter((c) => c.chatId === b.id)).toHaveLength(1);
    w.fake.clearFailures(b.id);
    expectAnonymousBothWays(w, a, b);
  });

  it('a partner who blocks the bot (my_chat_member kicked) ends the session and the other is told', async () => {
    const a = w.person(731_500_301, 'Theodora', 'Kingsmere', 'theo_k_301');
    const b = w.person(731_500_302, 'Leopold', 'Ravensworth', 'leo_r_302');
    await w.pair(a, b);
    await w.processed(b.text('gotta go'));
    const since = w.fake.calls().length;
    await w.processed(b.blockBot());
    await w.told(a, escape(texts.PARTNER_UNREACHABLE), since);
    await w.told(a, RATE_PROMPT, since);

    const session = await sessionOf(a, b);
    expect(session.endReason).toBe('unreachable');
    expect(session.endedById).toBe((await w.userRow(b)).id);
    expect((await w.userRow(b)).status).toBe('offline');
    // Nothing is sent to the person who left.
    expect(w.fake.calls().slice(since).filter((c) => c.chatId === b.id)).toHaveLength(0);

    await w.processed(a.text('still there?'));
    await w.told(a, escape(texts.NOT_IN_CHAT_MESSAGE), since);
    expect(w.fake.calls().slice(since).filter((c) => c.chatId === b.id)).toHaveLength(0);
    w.fake.clearFailures(b.id);
    expectAnonymousBothWays(w, a, b);
  });

  it('a group message gets the private-chat hint once per group and is not handled as a chat', async () => {
    const x = w.person(731_500_401, 'Gwendolyn', 'Ashbury', 'gwen_a_401');
    const y = w.person(731_500_402, 'Fitzgerald', 'Moorcroft', 'fitz_m_402');
    const group = w.fake.group(-1_001_731_500_400, 'Night owls');
    const other = w.fake.group(-1_001_731_500_499, 'Early birds', 'group');
    await w.processed(
      group.message(x, 'hello bot'),
      group.message(x, `/find@${w.fake.botUsername}`),
      group.message(y, 'anyone?'),
      other.message(y, '/start'),
    );
    await w.processed(group.message(y, 'again'));
    const hints = w.callsTo(group.id, 'sendMessage');
    expect(hints).toHaveLength(1);
    expect(hints[0]?.params.text).toBe(groupHintText(w.fake.botUsername));
    expect(hints[0]?.params.text).toContain(`https://t.me/${w.fake.botUsername}`);
    expect(w.callsTo(other.id, 'sendMessage')).toHaveLength(1);
    // Nobody was enrolled or answered in private because of a group message.
    expect(w.fake.calls((c) => c.chatId === x.id || c.chatId === y.id)).toHaveLength(0);
    const rows = await w.t.app.prisma.user.count({ where: { externalId: { in: [String(x.id), String(y.id)] } } });
    expect(rows).toBe(0);
  });

  it('a 5,000-character message is split at a word break into parts within 4096; one needing more than 4 parts is refused', async () => {
    const a = w.person(731_500_501, 'Octavia', 'Blackthorne', 'oct_b_501');
    const b = w.person(731_500_502, 'Ambrose', 'Fairweather', 'amb_f_502');
    await w.pair(a, b);
    const words = Array.from({ length: 1000 }, (_, i) => `w${String(i).padStart(3, '0')}`);
    const long = words.join(' ');
    expect(long.length).toBe(4999);
    const since = w.fake.calls().length;
    await w.processed(a.text(long));

    const parts = w.fake
      .calls()
      .slice(since)
      .filter((c) => c.chatId === b.id && (c.method === 'sendMessage' || c.method === 'copyMessage'));
    expect(parts.map((c) => [c.method, c.response.ok])).toEqual([
      ['sendMessage', true],
      ['sendMessage', true],
    ]);
    const partTexts = parts.map((c) => String(c.params.text));
    for (const t of partTexts) expect(t.length).toBeLessThanOrEqual(4096);
    expect(partTexts.join(' ')).toBe(long);
    expect(partTexts[0]?.endsWith(' ')).toBe(false);
    expect(w.botMessages(b).slice(-2).map((m) => m.text)).toEqual(partTexts);

    const huge = 'x'.repeat(20_000);
    const since2 = w.fake.calls().length;
    await w.processed(a.text(huge));
    await w.told(a, /That message is too long \(20000 characters\)/, since2);
    expect(w.fake.calls().slice(since2).filter((c) => c.chatId === b.id)).toHaveLength(0);
    expectAnonymousBothWays(w, a, b);
  });

  it('an unknown command gets a reply that points to /help', async () => {
    const a = w.person(731_500_601, 'Cordelia', 'Whitlock', 'cord_w_601');
    await w.processed(a.command('dance'), a.command('find', 'lang:english'));
    const reply = await w.told(a, /dance/);
    expect(reply.params.text).toMatch(/^I don't know \/dance\b/);
    expect(reply.params.text).toMatch(/\/help\b/);
    const usage = await w.told(a, /lang:/);
    expect(String(usage.params.text)).toContain(texts.USAGE.find);
    expect(w.fake.calls((c) => c.chatId === a.id && c.method === 'sendMessage')).toHaveLength(2);
    expect((await w.userRow(a)).status).toBe('offline');
  });

  it('an update delivered twice (same update_id) is relayed once', async () => {
    const a = w.person(731_500_701, 'Marigold', 'Dunsworth', 'mari_d_701');
    const b = w.person(731_500_702, 'Percival', 'Longbottom', 'perc_l_702');
    await w.pair(a, b);
    const once = a.text('only once please');
    const again = w.fake.pushUpdate(once.update);
    expect(again.update_id).toBe(once.updateId);
    const next = a.text('and then this');
    await w.processed(once, next);

    // The bot did receive the update twice...
    const delivered = w.fake
      .calls({ method: 'getUpdates' })
      .flatMap((c) => (c.response.ok ? (c.response.result as Json[]) : []))
      .filter((u) => u.update_id === once.updateId);
    expect(delivered).toHaveLength(2);
    // ...and relayed it once, before the message that followed.
    expect(relayedTexts(b, a)).toEqual(['only once please', 'and then this']);
    expect(w.callsTo(b, 'copyMessage').filter((c) => c.params.message_id === once.messageId)).toHaveLength(1);
    const [ua] = await Promise.all([w.userRow(a)]);
    expect(await w.t.app.prisma.message.count({ where: { senderId: ua.id, text: 'only once please' } })).toBe(1);
    expectAnonymousBothWays(w, a, b);
  });

  it('the anonymity scan itself catches a leak (control)', async () => {
    const a = w.person(731_500_801, 'Philippa', 'Grimsditch', 'phil_g_801');
    const b = w.person(731_500_802, 'Ignatius', 'Bellweather', 'ign_b_802');
    await w.processed(b.command('help'));
    expect(() => expectNothingIdentifies(w, a, b)).not.toThrow();
    // Sent straight through the transport, past the service, so no real path is involved.
    await w.transport.send({ platform: 'telegram', externalId: String(b.id) }, { kind: 'notice', text: 'say hi to phil_g_801' });
    expect(() => expectNothingIdentifies(w, a, b)).toThrow(/contains phil_g_801/);
  });

  it('no outbound payload in this file identified one partner to the other', async () => {
    await w.t.app.settle();
    expect(w.pairs.length).toBeGreaterThanOrEqual(5);
    for (const [a, b] of w.pairs) expectAnonymousBothWays(w, a, b);
  });
});
