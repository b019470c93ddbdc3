import { afterEach, describe, expect, it } from 'vitest';
import type { Inbound, MessageInbound } from '../../../src/core/index.js';
import { BOT_COMMANDS, TelegramTransport } from '../../../src/bots/telegram/index.js';
import { silentLog } from '../../support/log.js';
import { sleep, startHarness, until } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const alice = { id: 1001, first_name: 'Alice', last_name: 'Smith', username: 'alice_s' };

const contentOf = (i: Inbound) => (i.kind === 'message' ? i.content : undefined);

describe('TelegramTransport start and stop', () => {
  it('introduces itself, sets the command menu and long-polls only the update kinds it handles', async () => {
    h = await startHarness();
    const { fake } = h;
    const methods = fake.calls().map((c) => c.method);
    expect(methods.slice(0, 3)).toEqual(['getMe', 'setMyCommands', 'deleteWebhook']);
    expect(fake.myCommands).toEqual(BOT_COMMANDS);
    expect(BOT_COMMANDS.map((c) => c.command)).toEqual([
      'start', 'find', 'next', 'stop', 'report', 'feedback', 'history', 'settings', 'block', 'deletemydata', 'help',
    ]);
    const poll = await fake.waitForMethod('getUpdates');
    expect(poll.params.allowed_updates).toEqual(['message', 'edited_message', 'callback_query', 'my_chat_member']);
    expect(poll.params.timeout).toBe(1);
  });

  it('stops polling cleanly and confirms what it handled', async () => {
    h = await startHarness();
    const { fake, transport } = h;
    fake.user(alice).text('hello');
    await h.waitForInbound('message');
    await transport.stop();
    const after = fake.calls({ method: 'getUpdates' }).length;
    await sleep(300);
    expect(fake.calls({ method: 'getUpdates' }).length).toBe(after);
    expect(fake.pendingUpdates).toHaveLength(0);
  });

  it('refuses to start without an inbound handler', async () => {
    h = await startHarness({ start: false });
    const bare = new TelegramTransport({ token: h.fake.token, apiRoot: h.fake.apiRoot, log: silentLog });
    await expect(bare.start()).rejects.toThrow(/onInbound/);
    expect(h.fake.calls()).toHaveLength(0);
  });

  it('fails to start with a clear error when the token is wrong', async () => {
    h = await startHarness({ start: false });
    const wrong = new TelegramTransport({ token: '123:wrong', apiRoot: h.fake.apiRoot, log: silentLog });
    wrong.onInbound(() => Promise.resolve());
    await expect(wrong.start()).rejects.toThrow(/getMe failed: 401 Unauthorized/);
  });
});

describe('TelegramTransport inbound mapping', () => {
  it('maps text with formatting and drops entity kinds the core does not model', async () => {
    h = await startHarness();
    const a = h.fake.user(alice);
    const text = 'hi bold @bob https://x.io link me';
    const sent = a.text(text, {
      entities: [
        { type: 'bold', offset: 3, length: 4 },
        { type: 'mention', offset: 8, length: 4 },
        { type: 'url', offset: 13, length: 12 },
        { type: 'text_link', offset: 26, length: 4, url: 'https://example.org/' },
        { type: 'text_mention', offset: 31, length: 2, user: { id: 5, is_bot: false, first_name: 'Eve' } },
        { type: 'pre', offset: 0, length: 2, language: 'ts' },
      ],
    });
    const m = await h.waitForInbound('message');
    expect(m).toMatchObject({
      kind: 'message',
      updateId: String(sent.updateId),
      userRef: { platform: 'telegram', externalId: '1001' },
      profile: { username: 'alice_s', displayName: 'Alice Smith' },
      ref: { platform: 'telegram', chatId: '1001', messageId: String(sent.messageId) },
      content: {
        kind: 'text',
        text,
        entities: [
          { type: 'bold', offset: 3, length: 4 },
          { type: 'text_link', offset: 26, length: 4, url: 'https://example.org/' },
          { type: 'pre', offset: 0, length: 2, language: 'ts' },
        ],
      },
    });
    expect(m.receivedAt).toBeInstanceOf(Date);
  });

  it('parses commands, addressed commands and /start payloads; a command for another bot is text', async () => {
    h = await startHarness();
    const a = h.fake.user(alice);
    a.command('find', 'a b', { addressed: true });
    a.command('start', 'ref_42');
    a.command('HELP');
    a.command('find', '', { addressed: 'SomeOtherBot' });
    await h.waitForInbound('message');
    const commands = h.inbound.filter((i) => i.kind === 'command');
    expect(commands.map((c) => [c.name, c.args])).toEqual([
      ['find', 'a b'],
      ['start', 'ref_42'],
      ['help', ''],
    ]);
    expect(contentOf(h.inbound[3] as Inbound)).toEqual({ kind: 'text', text: '/find@SomeOtherBot' });
  });

  it('maps every media kind with caption, entities and the largest photo size', async () => {
    h = await startHarness();
    const a = h.fake.user(alice);
    const photo = a.photo({ caption: 'look here', captionEntities: [{ type: 'italic', offset: 0, length: 4 }] });
    const sent = [a.video('clip'), a.animation(), a.voice(), a.audio(), a.videoNote(), a.sticker(), a.document({ fileName: 'cv.pdf' })];
    await h.waitForInbound('message', (m) => m.ref.messageId === String(sent[6]?.messageId));
    const byId = new Map(h.inbound.filter((i): i is MessageInbound => i.kind === 'message').map((m) => [Number(m.ref.messageId), m]));
    const largest = (photo.message.photo as { file_id: string; width: number }[]).reduce((a, b) => (b.width > a.width ? b : a));
    expect(byId.get(photo.messageId)?.content).toEqual({
      kind: 'media',
      media: 'photo',
      file: { platform: 'telegram', fileId: largest.file_id, size: expect.any(Number) as number },
      caption: 'look here',
      entities: [{ type: 'italic', offset: 0, length: 4 }],
    });
    const kinds = sent.map((s) => {
      const c = byId.get(s.messageId)?.content;
      return c?.kind === 'media' ? c.media : c?.kind;
    });
    expect(kinds).toEqual(['video', 'animation', 'voice', 'audio', 'video_note', 'sticker', 'document']);
    const video = byId.get(sent[0]?.messageId ?? 0)?.content;
    expect(video).toMatchObject({ kind: 'media', caption: 'clip', file: { mimeType: 'video/mp4' } });
    const doc = byId.get(sent[6]?.messageId ?? 0)?.content;
    expect(doc).toMatchObject({ file: { fileName: 'cv.pdf', mimeType: 'application/pdf' } });
  });

  it('maps location, contact, poll and replies; uncopyable kinds become unsupported', async () => {
    h = await startHarness();
    const a = h.fake.user(alice);
    const first = a.text('first');
    a.location(52.52, 13.405);
    a.contact('+4930123456', 'Bob', 'Builder');
    a.poll('Tea or coffee?', ['Tea', 'Coffee']);
    a.dice();
    const reply = a.reply(first.messageId, 'answering');
    await h.waitForInbound('message', (m) => m.ref.messageId === String(reply.messageId));
    const contents = h.inbound.slice(1).map(contentOf);
    expect(contents).toEqual([
      { kind: 'location', latitude: 52.52, longitude: 13.405 },
      { kind: 'contact', phoneNumber: '+4930123456', firstName: 'Bob', lastName: 'Builder' },
      { kind: 'poll', question: 'Tea or coffee?', options: ['Tea', 'Coffee'] },
      { kind: 'unsupported', description: 'a dice roll' },
      { kind: 'text', text: 'answering' },
    ]);
    expect(h.inbound[5]).toMatchObject({ replyTo: { platform: 'telegram', chatId: '1001', messageId: String(first.messageId) } });
  });

  it('collects an album into one AlbumInbound with its items in order', async () => {
    h = await startHarness();
    const items = h.fake.user(alice).album(3, { captions: ['first', undefined, undefined] });
    const album = await h.waitForInbound('album');
    await sleep(250);
    expect(h.inbound.filter((i) => i.kind === 'album')).toHaveLength(1);
    expect(h.inbound.filter((i) => i.kind === 'message')).toHaveLength(0);
    expect(album.albumId).toBe(items[0]?.message.media_group_id);
    expect(album.updateId).toBe(String(items[0]?.updateId));
    expect(album.userRef).toEqual({ platform: 'telegram', externalId: '1001' });
    expect(album.items.map((i) => i.ref.messageId)).toEqual(items.map((i) => String(i.messageId)));
    expect(album.items.map((i) => i.updateId)).toEqual(items.map((i) => String(i.updateId)));
    expect(album.items[0]?.content).toMatchObject({ kind: 'media', media: 'photo', caption: 'first' });
  });

  it('does not confirm album items to Telegram until the album was handed on (stop flushes it)', async () => {
    h = await startHarness({ transport: { albumWindowMs: 10_000 } });
    h.fake.user(alice).album(2);
    await h.fake.waitForCall((c) => c.method === 'getUpdates' && Array.isArray(c.response.result) && c.response.result.length === 2);
    await sleep(150);
    expect(h.inbound).toHaveLength(0);
    expect(h.fake.pendingUpdates).toHaveLength(2);
    await h.transport.stop();
    expect(h.inbound.map((i) => i.kind)).toEqual(['album']);
    expect(h.fake.pendingUpdates).toHaveLength(0);
  });

  it('maps an edit to an EditInbound', async () => {
    h = await startHarness();
    const a = h.fake.user(alice);
    const sent = a.text('helo');
    const edit = a.editText(sent.messageId, 'hello', [{ type: 'bold', offset: 0, length: 5 }]);
    const e = await h.waitForInbound('edit');
    expect(e).toMatchObject({
      updateId: String(edit.updateId),
      ref: { platform: 'telegram', chatId: '1001', messageId: String(sent.messageId) },
      content: { kind: 'text', text: 'hello', entities: [{ type: 'bold', offset: 0, length: 5 }] },
    });
  });

  it('turns a button press into a ButtonInbound and always answers the callback query', async () => {
    let fail = false;
    h = await startHarness({
      handler: (i) => (fail && i.kind === 'button' ? Promise.reject(new Error('core is down')) : Promise.resolve()),
    });
    const a = h.fake.user(alice);
    const [ref] = await h.transport.send({ platform: 'telegram', externalId: '1001' }, {
      kind: 'notice',
      text: 'Rate the chat',
      buttons: [[{ label: '👍', action: 'rate:5:session_0a1b2c3d4e' }]],
    });
    const press = a.press(Number(ref?.messageId), 'rate:5:session_0a1b2c3d4e');
    const b = await h.waitForInbound('button');
    expect(b).toMatchObject({ action: 'rate:5:session_0a1b2c3d4e', userRef: { externalId: '1001' }, updateId: String(press.update.update_id) });
    const answer = await h.fake.waitForMethod('answerCallbackQuery');
    expect(answer.params.callback_query_id).toBe(press.queryId);
    expect(answer.response.ok).toBe(true);

    fail = true;
    const failing = a.press(Number(ref?.messageId), 'rate:5:session_0a1b2c3d4e');
    const second = await h.fake.waitForCall((c) => c.method === 'answerCallbackQuery' && c.params.callback_query_id === failing.queryId);
    expect(second.response.ok).toBe(true);
    expect(h.lines.some((l) => l.level === 'error' && l.msg.includes('failed to handle'))).toBe(true);
  });

  it('tells the user a button expired when its long action is no longer known', async () => {
    h = await startHarness();
    const a = h.fake.user(alice);
    const [ref] = await h.transport.send({ platform: 'telegram', externalId: '1001' }, { kind: 'notice', text: 'x' });
    const press = a.press(Number(ref?.messageId), '~zz');
    const answer = await h.fake.waitForCall((c) => c.method === 'answerCallbackQuery' && c.params.callback_query_id === press.queryId);
    expect(answer.params.text).toBe('This button has expired.');
    expect(h.inbound.filter((i) => i.kind === 'button')).toHaveLength(0);
  });

  it('reports a user who blocked the bot as left, and ignores the unblock', async () => {
    h = await startHarness();
    const a = h.fake.user(alice);
    const kicked = a.blockBot();
    const left = await h.waitForInbound('left');
    expect(left).toMatchObject({ userRef: { platform: 'telegram', externalId: '1001' }, updateId: String(kicked.update_id) });
    a.unblockBot();
    a.text('back');
    await h.waitForInbound('message');
    expect(h.inbound.map((i) => i.kind)).toEqual(['left', 'message']);
  });

  it('answers a group once with a link to the private chat and then stays silent there', async () => {
    h = await startHarness();
    const group = h.fake.group(-1001234567890, 'Friends');
    const a = h.fake.user(alice);
    group.message(a, '/find');
    const hint = await h.fake.waitForCall((c) => c.method === 'sendMessage' && c.chatId === -1001234567890);
    expect(hint.params.text).toContain(`https://t.me/${h.fake.botUsername}`);
    group.message(a, 'hello?');
    group.message(a, '/find@' + h.fake.botUsername);
    a.text('private');
    await h.waitForInbound('message');
    expect(h.fake.calls({ method: 'sendMessage', chatId: -1001234567890 })).toHaveLength(1);
    expect(h.inbound.map((i) => i.kind)).toEqual(['message']);
  });

  it('ignores an update delivered twice', async () => {
    h = await startHarness();
    const a = h.fake.user(alice);
    const sent = a.text('once');
    h.fake.pushUpdate(sent.update);
    a.text('after');
    await h.waitForInbound('message', (m) => m.content.kind === 'text' && m.content.text === 'after');
    expect(h.inbound.filter((i) => i.updateId === String(sent.updateId))).toHaveLength(1);
  });

  it('logs and skips a malformed update without stopping', async () => {
    h = await startHarness();
    h.fake.pushUpdate({ message: { message_id: 'seven', chat: { id: 1001, type: 'private' }, date: 1 } });
    h.fake.pushUpdate({ callback_query: { id: 42 } });
    h.fake.user(alice).text('still here');
    await h.waitForInbound('message');
    expect(h.inbound).toHaveLength(1);
    expect(h.lines.filter((l) => l.level === 'warn' && l.msg.includes('malformed'))).toHaveLength(2);
  });

  it('retries a failing handler and then moves on', async () => {
    let calls = 0;
    h = await startHarness({
      handler: () => (++calls <= 1 ? Promise.reject(new Error('db hiccup')) : Promise.resolve()),
    });
    h.fake.user(alice).text('retry me');
    await until(() => calls >= 2);
    await sleep(100);
    expect(calls).toBe(2);
    expect(h.inbound.filter((i) => i.kind === 'message')).toHaveLength(2);
  });
});
