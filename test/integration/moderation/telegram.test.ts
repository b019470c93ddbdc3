import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramTransport } from '../../../src/bots/telegram/index.js';
import { FakeTelegramBotApi, type Json, type RecordedCall } from '../../fakes/telegram-bot-api.js';
import { silentLog } from '../../support/log.js';
import { startTestApp, type TestApp } from '../../support/app.js';

/*
 * The moderation flow through the real Telegram adapter against the fake Bot API over HTTP:
 * commands are typed text, buttons are callback queries carrying the core's actions.
 */

const MOD = { id: 700_000_001, first_name: 'Mona' };
const ALICE = { id: 700_000_002, first_name: 'Alice' };
const BOB = { id: 700_000_003, first_name: 'Bob', username: 'bob_the_rude' };
const EVE = { id: 700_000_004, first_name: 'Eve' };

interface Button {
  readonly text: string;
  readonly callback_data: string;
}

const keyboardOf = (c: RecordedCall): Button[] => {
  const raw = c.params.reply_markup;
  const markup = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { inline_keyboard?: Button[][] } | undefined;
  return markup?.inline_keyboard?.flat() ?? [];
};

describe('moderation through the Telegram adapter', () => {
  let api: FakeTelegramBotApi;
  let t: TestApp;

  beforeAll(async () => {
    api = await FakeTelegramBotApi.start();
    t = await startTestApp(
      () => [new TelegramTransport({ token: api.token, apiRoot: api.apiRoot, log: silentLog, pollTimeoutS: 1, albumWindowMs: 50, handlerRetryDelaysMs: [10] })],
      { moderators: [{ platform: 'telegram', externalId: String(MOD.id) }] },
    );
  });
  afterAll(async () => {
    await t.stop();
    await api.close();
  });

  /** The next sendMessage to `chatId` after the calls made so far whose text matches. */
  const said = (chatId: number, re: RegExp, since: number) =>
    api.waitForCall((c) => c.method === 'sendMessage' && c.chatId === chatId && re.test(String(c.params.text)) && c.response.ok && api.calls().indexOf(c) >= since, 5000);
  const messageIdOf = (c: RecordedCall): number => (c.response.result as Json).message_id as number;

  it('report by button, moderator lists, opens and bans by button; non-moderators get the unknown-command reply', async () => {
    const mod = api.user(MOD);
    const alice = api.user(ALICE);
    const bob = api.user(BOB);
    const eve = api.user(EVE);

    let mark = api.calls().length;
    alice.command('find');
    await said(ALICE.id, /Looking for a stranger/, mark);
    bob.command('find');
    await said(ALICE.id, /connected to a stranger/, mark);
    await said(BOB.id, /connected to a stranger/, mark);
    bob.text('nasty words from bob');
    await api.waitForCall((c) => c.method === 'copyMessage' && c.chatId === ALICE.id);

    mark = api.calls().length;
    alice.command('report');
    const pick = await said(ALICE.id, /What happened/, mark);
    const harassment = keyboardOf(pick).find((b) => b.text === 'Harassment');
    if (!harassment) throw new Error('no Harassment button');
    alice.press(messageIdOf(pick), harassment.callback_data);
    await said(ALICE.id, /report was sent to our moderators/, mark);

    // A non-moderator is told exactly what any unknown command gets.
    mark = api.calls().length;
    eve.command('mod', 'reports');
    const refused = await said(EVE.id, /./, mark);
    expect(refused.params.text).toBe("I don't know /mod. Send /help to see what I can do.");

    mark = api.calls().length;
    mod.command('mod', 'reports');
    const list = await said(MOD.id, /^Reports \(open\)/, mark);
    const open = keyboardOf(list).find((b) => b.callback_data.startsWith('mod:open:'));
    if (!open) throw new Error('no Open button');
    mod.press(messageIdOf(list), open.callback_data);
    const view = await said(MOD.id, /^Report #/, mark);
    expect(String(view.params.text)).toContain('nasty words from bob');
    const ban = keyboardOf(view).find((b) => b.text === 'Ban 24 h');
    if (!ban) throw new Error('no ban button');
    mod.press(messageIdOf(view), ban.callback_data);
    await said(MOD.id, /^Banned u_[0-9a-f]{6} for 24 h/, mark);
    await said(BOB.id, /banned you from EchoSoul until/, mark);
    await said(ALICE.id, /^The chat has ended\.$/, mark);

    mark = api.calls().length;
    bob.command('find');
    await said(BOB.id, /^You are banned from chatting until \d{4}-\d\d-\d\d \d\d:\d\d UTC\.$/, mark);

    // Every button the core made travelled verbatim: each action fits Telegram's 64 bytes.
    const data = api.calls({ method: 'sendMessage' }).flatMap((c) => keyboardOf(c).map((b) => b.callback_data));
    expect(data.length).toBeGreaterThan(10);
    for (const d of data) {
      expect(d.startsWith('~'), d).toBe(false);
      expect(Buffer.byteLength(d)).toBeLessThanOrEqual(64);
    }
    // The moderator never saw a platform id or a username.
    for (const c of api.calls({ chatId: MOD.id })) {
      const shown = JSON.stringify(c.params);
      for (const secret of [String(ALICE.id), String(BOB.id), BOB.username]) expect(shown).not.toContain(secret);
    }
  });
});
