import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonsOf, lastNotice, pair, relayedTexts, startChatWorld, type ChatWorld } from './helpers.js';

describe('a whole chat through the core', () => {
  let w: ChatWorld;
  beforeAll(async () => {
    w = await startChatWorld();
  });
  afterAll(async () => {
    await w.t.stop();
  });

  it('finds, relays 20 messages each way in order, follows edits and replies, stops, rates and shows history', async () => {
    const alice = w.fake.user('1001', { username: 'alice_x', displayName: 'Alice Anders' });
    const bob = w.fake.user('1002', { username: 'bob_y', displayName: 'Bob Berg' });
    await alice.command('start');
    await pair(alice, bob);

    const aliceRefs = [];
    for (let i = 0; i < 20; i++) {
      aliceRefs.push(await alice.say(`a${i}`));
      await bob.say(`b${i}`);
    }
    await w.settle();
    expect(relayedTexts(bob)).toEqual(Array.from({ length: 20 }, (_, i) => `a${i}`));
    expect(relayedTexts(alice)).toEqual(Array.from({ length: 20 }, (_, i) => `b${i}`));

    // Edit follows to Bob's copy of a3.
    const a3 = aliceRefs[3];
    if (!a3) throw new Error('missing ref');
    await alice.edit(a3, 'a3 (edited)');
    await w.settle();
    const copyOfA3 = bob.received().find((r) => r.outbound.kind === 'relay' && r.outbound.content.kind === 'text' && r.outbound.content.text === 'a3');
    expect(w.fake.edits.at(-1)?.ref).toEqual(copyOfA3?.refs[0]);

    // Bob replies to his copy of a3: Alice's copy points at her original.
    if (!copyOfA3?.refs[0]) throw new Error('no copy');
    await bob.say('re: a3', { replyTo: copyOfA3.refs[0] });
    await w.settle();
    const reply = alice.received().at(-1)?.outbound;
    expect(reply?.kind === 'relay' ? reply.replyTo : undefined).toEqual(a3);

    // Alice deletes a4: Bob's copy goes too.
    const a4 = aliceRefs[4];
    if (!a4) throw new Error('missing ref');
    await alice.remove(a4);
    await w.settle();
    const copyOfA4 = bob.received().find((r) => r.outbound.kind === 'relay' && r.outbound.content.kind === 'text' && r.outbound.content.text === 'a4');
    expect(w.fake.deletes).toContainEqual(copyOfA4?.refs[0]);

    await alice.command('stop');
    await w.settle();
    expect(alice.texts()).toContain('You left the chat.');
    expect(bob.texts()).toContain('The stranger left the chat.');

    const aliceRate = lastNotice(alice, /How was this chat/);
    const bobRate = lastNotice(bob, /How was this chat/);
    const rate5 = aliceRate && buttonsOf(aliceRate).find((a) => a.startsWith('rate:5:'));
    const rate2 = bobRate && buttonsOf(bobRate).find((a) => a.startsWith('rate:2:'));
    if (!rate5 || !rate2) throw new Error('no rating buttons');
    await alice.press(rate5);
    await bob.press(rate2);
    await bob.press(rate2.replace('rate:2', 'rate:4'));
    await w.settle();
    expect(alice.texts().some((t) => /Thanks for your rating/.test(t))).toBe(true);
    expect(bob.texts().some((t) => /already rated/.test(t))).toBe(true);
    const sessionId = rate5.split(':')[2] ?? '';
    const rows = await w.t.app.prisma.feedback.findMany({ where: { sessionId }, orderBy: { rating: 'asc' } });
    expect(rows.map((r) => r.rating)).toEqual([2, 5]);

    // Comment through the form action.
    const commentForm = lastNotice(alice, /Thanks for your rating/)?.form;
    if (!commentForm) throw new Error('no comment form');
    await alice.press(commentForm.action, 'nice chat');
    await w.settle();
    expect((await w.t.app.prisma.feedback.findMany({ where: { sessionId, comment: 'nice chat' } })).length).toBe(1);

    await alice.command('history');
    await bob.command('history');
    await w.settle();
    const aliceHistory = alice.texts().at(-1) ?? '';
    const bobHistory = bob.texts().at(-1) ?? '';
    expect(aliceHistory).toContain(sessionId);
    expect(aliceHistory).toMatch(/you sent 20, received 21, you rated 5\/5/);
    expect(bobHistory).toContain(sessionId);
    expect(bobHistory).toMatch(/you sent 21, received 20, you rated 2\/5/);

    await alice.command('history', sessionId);
    await w.settle();
    expect(alice.texts().at(-1)).toMatch(/a3 \(edited\)/);
    expect(alice.texts().at(-1)).not.toMatch(/b1\b/);
  });

  it('/next ends the chat and searches again; a third user waits and is paired next', async () => {
    const u1 = w.fake.user('2001');
    const u2 = w.fake.user('2002');
    const u3 = w.fake.user('2003');
    await pair(u1, u2);
    await u3.command('find');
    await w.settle();
    expect(u3.texts().at(-1)).toMatch(/Looking for a stranger/);
    await new Promise((r) => setTimeout(r, 100));
    expect(u3.texts().some((t) => /connected/.test(t))).toBe(false);

    await u1.command('next');
    await u1.waitFor((t) => /connected to a stranger/.test(t) && u1.texts().filter((x) => /connected/.test(x)).length === 2);
    await u3.waitFor((t) => /connected to a stranger/.test(t));
    await w.settle();
    expect(u2.texts()).toContain('The stranger left the chat.');
    await u1.say('hello third');
    await w.settle();
    expect(relayedTexts(u3)).toEqual(['hello third']);
    expect(relayedTexts(u2)).not.toContain('hello third');
    await u1.command('stop');
    await u2.command('find');
    await u2.command('find');
    await w.settle();
    expect(u2.texts().at(-1)).toMatch(/already searching/);
    await u2.command('stop');
    await w.settle();
    expect(u2.texts().at(-1)).toMatch(/Search stopped/);
  });

  it('answers unknown commands and bad arguments with usage, and messages outside a chat with a hint', async () => {
    const u = w.fake.user('3001');
    await u.command('dance');
    await u.command('find', 'lang:english');
    await u.command('history', 'nope');
    await u.say('anyone?');
    await w.settle();
    const texts = u.texts();
    expect(texts[0]).toMatch(/don't know \/dance/);
    expect(texts[1]).toMatch(/lang:en/);
    expect(texts[2]).toMatch(/Usage: \/history/);
    expect(texts[3]).toMatch(/not in a chat/);
  });
});
