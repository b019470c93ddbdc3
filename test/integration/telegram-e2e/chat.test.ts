import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { texts } from '../../../src/core/index.js';
import type { Json, RecordedCall, SimulatedUser } from '../../fakes/telegram-bot-api.js';
import { expectAnonymousBothWays, RATE_PROMPT, startTelegramWorld, waitFor } from './world.js';
import type { TelegramWorld } from './world.js';

/*
 * A whole anonymous chat on Telegram, end to end: the real service on real Postgres and
 * Redis, the real TelegramTransport long-polling a fake Bot API. Each test uses people of
 * its own; their ids and names are distinctive so the anonymity scan cannot be fooled.
 */

let w: TelegramWorld;
beforeAll(async () => {
  w = await startTelegramWorld();
});
afterAll(async () => {
  await w?.stop();
});

const escape = (s: string): RegExp => new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

/** The message the bot created with this copyMessage call, as the recipient sees it. */
function copyOf(call: RecordedCall): Json {
  const id = (call.response.result as { message_id: number }).message_id;
  const m = w.fake.findMessage(Number(call.chatId), id);
  if (m === undefined) throw new Error(`copy ${id} not found in chat ${call.chatId}`);
  return m;
}

/** The single successful copyMessage of `source` into `to`'s chat. */
function copyCall(to: SimulatedUser, source: { messageId: number }): RecordedCall {
  const hits = w.callsTo(to, 'copyMessage').filter((c) => c.params.message_id === source.messageId);
  expect(hits, `copies of message ${source.messageId} in chat ${to.id}`).toHaveLength(1);
  return hits[0] as RecordedCall;
}

describe('Telegram end to end: a chat', () => {
  it('two users /start and /find and are connected; text, photo, album, sticker and voice are copied both ways', async () => {
    const a = w.person(731_400_101, 'Zephyrine', 'Quellborn', 'zeph_q_101');
    const b = w.person(731_400_102, 'Bertramus', 'Hollowell', 'bert_h_102');

    const starts = [a.command('start'), b.command('start')];
    await w.processed(...starts);
    await w.told(a, /Welcome to EchoSoul/);
    await w.told(b, /Welcome to EchoSoul/);
    await w.pair(a, b);
    const connected = await w.told(a, /connected to a stranger/);
    // The chat notice carries Next/Stop buttons.
    expect(JSON.stringify(connected.params.reply_markup)).toMatch(/"callback_data":"next".*"callback_data":"stop"/);

    const entities = [
      { type: 'bold', offset: 0, length: 5 },
      { type: 'italic', offset: 6, length: 5 },
      { type: 'text_link', offset: 12, length: 4, url: 'https://example.org/x' },
    ];
    const textA = a.text('Hello there link, how are you?', { entities });
    const textB = b.text('Fine, thanks!', { entities: [{ type: 'underline', offset: 0, length: 4 }] });
    const photoA = a.photo({ caption: 'my view', captionEntities: [{ type: 'italic', offset: 3, length: 4 }] });
    const photoB = b.photo();
    const stickerA = a.sticker();
    const stickerB = b.sticker();
    const voiceA = a.voice();
    const voiceB = b.voice();
    const albumA = a.album(3, { captions: ['trip day one', undefined, 'last'] });
    const albumB = b.album(2);
    const after = a.text('after the album');
    await w.processed(textA, textB, photoA, photoB, stickerA, stickerB, voiceA, voiceB, ...albumA, ...albumB, after);

    // Singles: one copyMessage each, from the sender's chat, content intact.
    for (const [from, to, sent] of [
      [a, b, textA],
      [b, a, textB],
      [a, b, photoA],
      [b, a, photoB],
      [a, b, stickerA],
      [b, a, stickerB],
      [a, b, voiceA],
      [b, a, voiceB],
      [a, b, after],
    ] as const) {
      const call = copyCall(to, sent);
      expect(call.params.from_chat_id).toBe(String(from.id));
      const copy = copyOf(call);
      expect((copy.from as Json).id).toBe(w.fake.bot.id);
      for (const key of ['text', 'entities', 'caption', 'caption_entities', 'photo', 'sticker', 'voice']) {
        expect(copy[key], `${key} of the copy of ${sent.messageId}`).toEqual(sent.message[key]);
      }
    }
    expect(copyOf(copyCall(b, textA)).entities).toEqual(entities);

    // Albums: one copyMessages call with the items in order, delivered as one media group.
    for (const [from, to, album] of [
      [a, b, albumA],
      [b, a, albumB],
    ] as const) {
      const ids = album.map((s) => s.messageId);
      const calls = w.callsTo(to, 'copyMessages');
      const call = calls.find((c) => JSON.stringify(c.params.message_ids) === JSON.stringify(ids));
      expect(call, `copyMessages of ${ids.join(',')}`).toBeDefined();
      expect(call?.params.from_chat_id).toBe(String(from.id));
      const copies = (call?.response.result as { message_id: number }[]).map((r) => w.fake.findMessage(to.id, r.message_id));
      expect(copies).toHaveLength(album.length);
      const groups = new Set(copies.map((m) => m?.media_group_id));
      expect(groups.size).toBe(1);
      expect([...groups][0]).toEqual(expect.any(String));
      expect(copies.map((m) => m?.caption)).toEqual(album.map((s) => s.message.caption));
      // No item of the album went out on its own.
      expect(w.callsTo(to, 'copyMessage').filter((c) => ids.includes(Number(c.params.message_id)))).toHaveLength(0);
    }
    expect(w.callsTo(b, 'copyMessages')).toHaveLength(1);
    expect(w.callsTo(a, 'copyMessages')).toHaveLength(1);

    // B's chat shows A's messages in the order A sent them.
    const relayedToB = w
      .botMessages(b)
      .filter((m) => m.text !== undefined || m.photo !== undefined || m.sticker !== undefined || m.voice !== undefined)
      .map((m) =>
        typeof m.text === 'string' ? m.text : typeof m.caption === 'string' ? m.caption : m.sticker ? 'sticker' : m.voice ? 'voice' : 'photo',
      );
    const fromA = relayedToB.slice(relayedToB.indexOf('Hello there link, how are you?'));
    expect(fromA).toEqual(['Hello there link, how are you?', 'my view', 'sticker', 'voice', 'trip day one', 'photo', 'last', 'after the album']);

    expect(w.fake.calls((c) => c.method === 'forwardMessage' || c.method === 'forwardMessages')).toHaveLength(0);
    expectAnonymousBothWays(w, a, b);
    await w.processed(a.command('stop'));
  });

  it('edits and replies follow to the partner’s copy', async () => {
    const a = w.person(731_400_201, 'Ottoline', 'Marchbank', 'otto_m_201');
    const b = w.person(731_400_202, 'Peregrin', 'Ashgrove', 'pere_a_202');
    await w.pair(a, b);

    const textA = a.text('first draft', { entities: [{ type: 'bold', offset: 0, length: 5 }] });
    const photoB = b.photo({ caption: 'old caption' });
    await w.processed(textA, photoB);
    const copyOfTextA = copyOf(copyCall(b, textA));
    const copyOfPhotoB = copyOf(copyCall(a, photoB));

    // A edits the text: the bot edits B's copy, with the new entities.
    const editA = a.editText(textA.messageId, 'final draft!', [{ type: 'italic', offset: 6, length: 5 }]);
    // B edits the photo's caption: the bot edits A's copy's caption.
    const edited: Json = { ...photoB.message, caption: 'new caption', edit_date: Math.floor(Date.now() / 1000) };
    w.fake.storeMessage(edited);
    const editB = w.fake.pushUpdate({ edited_message: edited });
    await w.processed(editA, editB);

    const textEdit = w.callsTo(b, 'editMessageText');
    expect(textEdit).toHaveLength(1);
    expect(textEdit[0]?.params).toMatchObject({
      message_id: copyOfTextA.message_id,
      text: 'final draft!',
      entities: [{ type: 'italic', offset: 6, length: 5 }],
    });
    expect(w.fake.findMessage(b.id, Number(copyOfTextA.message_id))?.text).toBe('final draft!');
    const captionEdit = w.callsTo(a, 'editMessageCaption');
    expect(captionEdit).toHaveLength(1);
    expect(captionEdit[0]?.params).toMatchObject({ message_id: copyOfPhotoB.message_id, caption: 'new caption' });
    expect(w.fake.findMessage(a.id, Number(copyOfPhotoB.message_id))?.caption).toBe('new caption');

    // B replies to its copy of A's text: A's copy replies to A's own original.
    const replyB = b.reply(Number(copyOfTextA.message_id), 'replying to your draft');
    // A replies to its own earlier message: B's copy replies to B's copy of it.
    const replyA = a.reply(textA.messageId, 'about my draft');
    await w.processed(replyB, replyA);
    const toA = copyCall(a, replyB);
    expect(toA.params.reply_parameters).toMatchObject({ message_id: textA.messageId });
    expect((copyOf(toA).reply_to_message as Json).message_id).toBe(textA.messageId);
    const toB = copyCall(b, replyA);
    expect(toB.params.reply_parameters).toMatchObject({ message_id: copyOfTextA.message_id });
    expect((copyOf(toB).reply_to_message as Json).message_id).toBe(copyOfTextA.message_id);

    expectAnonymousBothWays(w, a, b);
    await w.processed(a.command('stop'));
  });

  it('/stop tells both; rating buttons store feedback and every callback query is answered', async () => {
    const a = w.person(731_400_301, 'Wilhelmina', 'Thistlewood', 'wil_t_301');
    const b = w.person(731_400_302, 'Casimir', 'Brackenridge', 'cas_b_302');
    await w.pair(a, b);
    const hello = a.text('bye soon');
    await w.processed(hello);

    const since = w.fake.calls().length;
    await w.processed(a.command('stop'));
    await w.told(a, escape(texts.YOU_LEFT), since);
    await w.told(b, escape(texts.PARTNER_LEFT), since);
    await w.told(a, RATE_PROMPT, since);
    await w.told(b, RATE_PROMPT, since);
    const [userA, userB] = await Promise.all([w.userRow(a), w.userRow(b)]);
    const session = await w.t.app.prisma.session.findFirstOrThrow({ where: { userAId: { in: [userA.id, userB.id] } } });
    expect(session).toMatchObject({ endReason: 'stop', endedById: userA.id });
    expect([userA.status, userB.status]).toEqual(['offline', 'offline']);

    // After the end, messages are no longer relayed.
    const late = a.text('anyone still here?');
    await w.processed(late);
    await w.told(a, escape(texts.NOT_IN_CHAT_MESSAGE));
    expect(w.callsTo(b, 'copyMessage').filter((c) => c.params.message_id === late.messageId)).toHaveLength(0);

    const queries: string[] = [];
    const press = (u: SimulatedUser, label: RegExp) => {
      const { messageId, data } = w.button(u, RATE_PROMPT, label);
      const { update, queryId } = u.press(messageId, data);
      queries.push(queryId);
      return update;
    };
    await w.processed(press(b, /^★★★★$/));
    await w.told(b, /Thanks for your rating/);
    await w.processed(press(a, /^★★★★★$/));
    await w.told(a, /Thanks for your rating/);
    // A second press on the same keyboard does not change the stored rating.
    await w.processed(press(a, /^★$/));
    await w.told(a, escape(texts.ALREADY_RATED));
    const rows = await w.t.app.prisma.feedback.findMany({ where: { sessionId: session.id }, orderBy: { rating: 'asc' } });
    expect(rows.map((r) => [r.userId, r.rating])).toEqual([
      [userB.id, 4],
      [userA.id, 5],
    ]);

    // The "add a comment" prompt is a ForceReply; B answers it.
    const prompt = await w.told(b, /Thanks for your rating/);
    expect(prompt.params.reply_markup).toMatchObject({ force_reply: true });
    const promptId = (prompt.response.result as { message_id: number }).message_id;
    await w.processed(b.reply(promptId, 'pleasant and polite'));
    await w.told(b, escape(texts.COMMENT_SAVED));
    const commented = await w.t.app.prisma.feedback.findUniqueOrThrow({
      where: { sessionId_userId: { sessionId: session.id, userId: userB.id } },
    });
    expect(commented.comment).toBe('pleasant and polite');

    // A button the bot no longer knows (forged or expired) is answered too, with a toast.
    const stale = b.press(w.button(b, RATE_PROMPT, /★/).messageId, '~unknown-key');
    queries.push(stale.queryId);
    await w.processed(stale.update);

    const answers = w.fake.calls({ method: 'answerCallbackQuery' });
    for (const q of queries) {
      const answered = answers.filter((c) => c.params.callback_query_id === q);
      expect(answered, `answers to query ${q}`).toHaveLength(1);
      expect(answered[0]?.response.ok).toBe(true);
    }
    expect(answers.find((c) => c.params.callback_query_id === stale.queryId)?.params.text).toMatch(/expired/);

    expectAnonymousBothWays(w, a, b);
  });

  it('/report with a category button stores a Report about the partner', async () => {
    const a = w.person(731_400_401, 'Rosalind', 'Featherstone', 'ros_f_401');
    const b = w.person(731_400_402, 'Lysander', 'Copperfield', 'lys_c_402');
    await w.pair(a, b);
    const spam = b.text('buy cheap followers at spam.example');
    await w.processed(spam);

    await w.processed(a.command('report'));
    const pick = await w.told(a, escape(texts.REPORT_PICK));
    const labels = ((pick.params.reply_markup as Json).inline_keyboard as { text: string }[][]).flat().map((x) => x.text);
    expect(labels).toEqual(['Harassment', 'Spam or scam', 'Sexual content', 'Minor safety', 'Other']);
    const { messageId, data } = w.button(a, escape(texts.REPORT_PICK), /^Spam or scam$/);
    const { update, queryId } = a.press(messageId, data);
    await w.processed(update);
    await w.told(a, /report was sent to our moderators/);
    expect(w.fake.calls({ method: 'answerCallbackQuery' }).filter((c) => c.params.callback_query_id === queryId && c.response.ok)).toHaveLength(1);

    const [userA, userB] = await Promise.all([w.userRow(a), w.userRow(b)]);
    const reports = await w.t.app.prisma.report.findMany({ where: { reporterId: userA.id } });
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ reportedId: userB.id, category: 'spam', status: 'open' });
    const session = await w.t.app.prisma.session.findFirstOrThrow({ where: { userAId: { in: [userA.id, userB.id] } } });
    expect(reports[0]?.sessionId).toBe(session.id);
    // The evidence is the reported person's messages.
    expect(JSON.stringify(reports[0]?.snapshot)).toContain('buy cheap followers');

    // Nothing about the report reached B.
    expect(w.callsTo(b, 'sendMessage').some((c) => /report/i.test(String(c.params.text)))).toBe(false);
    expectAnonymousBothWays(w, a, b);
    await w.processed(a.command('stop'));
  });

  it('no outbound payload in this file identified one partner to the other', async () => {
    await w.t.app.settle();
    await waitFor(() => w.pairs.length >= 4, 'all pairs');
    for (const [a, b] of w.pairs) expectAnonymousBothWays(w, a, b);
  });

  it('answered every callback query the bot received in this file exactly once', () => {
    const queries = w.fake
      .calls({ method: 'getUpdates' })
      .flatMap((c) => (c.response.ok ? (c.response.result as Json[]) : []))
      .flatMap((u) => (u.callback_query !== undefined ? [String((u.callback_query as Json).id)] : []));
    expect(new Set(queries).size).toBeGreaterThanOrEqual(5);
    const answered = w.fake.calls((c) => c.method === 'answerCallbackQuery' && c.response.ok).map((c) => String(c.params.callback_query_id));
    expect(answered.sort()).toEqual([...new Set(queries)].sort());
  });
});
