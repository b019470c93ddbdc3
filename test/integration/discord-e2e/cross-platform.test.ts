import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeDiscord, RecordedRequest } from '../../fakes/discord/index.js';
import type { FakeTelegramBotApi, Json, RecordedCall, SimulatedUser, TgProfile } from '../../fakes/telegram-bot-api.js';
import {
  bodyOf,
  CONNECTED,
  DiscordPerson,
  expectDiscordClean,
  expectTelegramClean,
  PNG,
  startE2EWorld,
  type E2EWorld,
} from './world.js';

/*
 * One service with both transports, as main.ts builds it (the Discord transport fetches
 * Telegram files through telegram.fetchFile): a Discord user and a Telegram user share the
 * pool, are paired, and chat with text and photos both ways.
 */

const CHANNEL_MESSAGES = (channelId: string): RegExp => new RegExp(`^/channels/${channelId}/messages$`);

describe('Discord and Telegram users in one service', () => {
  let w: E2EWorld;
  let discord: FakeDiscord;
  let telegram: FakeTelegramBotApi;
  let tgUsers: SimulatedUser[] = [];
  let dcUsers: DiscordPerson[] = [];

  beforeAll(async () => {
    w = await startE2EWorld({ telegram: true });
    discord = w.discord;
    if (!w.telegram) throw new Error('no fake Bot API');
    telegram = w.telegram;
  });

  afterAll(async () => {
    await w.stop();
  });

  // A failed test must not leave someone searching or chatting for the next test to meet.
  afterEach(async () => {
    const { core, sessions, matching } = w.t.app;
    const refs = [
      ...dcUsers.map((p) => ({ platform: 'discord' as const, externalId: p.id })),
      ...tgUsers.map((u) => ({ platform: 'telegram' as const, externalId: String(u.id) })),
    ];
    for (const ref of refs) {
      const user = await core.users.resolve(ref);
      const live = await sessions.current(user.id);
      if (live) await sessions.end(live.sessionId, 'stop', user.id);
      await matching.cancelSearch(user.id);
    }
    tgUsers = [];
    dcUsers = [];
    await w.settle();
  });

  const discordPerson = (username: string, globalName: string): DiscordPerson => {
    const p = new DiscordPerson(discord, discord.addUser(username, globalName));
    dcUsers.push(p);
    return p;
  };

  const telegramUser = (profile: TgProfile): SimulatedUser => {
    const u = telegram.user(profile);
    tgUsers.push(u);
    return u;
  };

  /** The first Bot API call to this chat, made or future, that matches. */
  const callTo = (chatId: number, method: string, predicate: (c: RecordedCall) => boolean = () => true): Promise<RecordedCall> =>
    telegram.waitForCall((c) => c.chatId === chatId && c.method === method && predicate(c), 5000);

  const textTo = (chatId: number, re: RegExp): Promise<RecordedCall> =>
    callTo(chatId, 'sendMessage', (c) => typeof c.params.text === 'string' && re.test(c.params.text));

  const uploadsTo = (p: DiscordPerson, after: number): RecordedRequest[] =>
    discord.requestsMatching('POST', CHANNEL_MESSAGES(p.dm), after).filter((r) => r.files.length > 0);

  const resultId = (c: RecordedCall): number => Number((c.response.result as Json | undefined)?.message_id);

  it('pairs a Discord and a Telegram user; text, photos, replies and edits cross both ways; nothing identifies either side', async () => {
    const dana = discordPerson('dagmara_wx', 'Dagmara Wexfordine');
    const thad = telegramUser({ id: 731_845_902, first_name: 'Thaddeus', last_name: 'Okonkwolu', username: 'thad_okon' });

    // The pool is shared: Thad searches on Telegram, Dana on Discord, and they meet.
    thad.command('find', 'astronomy');
    await textTo(thad.id, /Looking for a stranger/);
    dana.slash('find', { interests: 'astronomy' });
    await dana.waitForText(CONNECTED);
    await textTo(thad.id, CONNECTED);
    const session = await w.t.app.prisma.session.findFirstOrThrow({
      where: { OR: [{ userA: { externalId: dana.id } }, { userB: { externalId: dana.id } }], endedAt: null },
      include: { userA: true, userB: true },
    });
    expect([session.userA.platform, session.userB.platform].sort()).toEqual(['discord', 'telegram']);
    expect(session.sharedInterests).toEqual(['astronomy']);

    // Discord -> Telegram text: sent natively (a Discord message cannot be copied), as written.
    const mark = discord.mark();
    const danaHi = dana.say('hi from discord @everyone');
    const thadGotHi = await callTo(thad.id, 'sendMessage', (c) => c.params.text === 'hi from discord @everyone');

    // Telegram -> Discord text: plain text is escaped for Discord markdown; nobody is pinged.
    const thadHi = thad.text('hi *from* telegram @everyone');
    const hiCopy = await dana.waitForText(/telegram @everyone$/);
    expect(hiCopy.content).toBe('hi \\*from\\* telegram @everyone');
    const hiPost = discord.requestsMatching('POST', CHANNEL_MESSAGES(dana.dm), mark).find((r) => bodyOf(r).content === hiCopy.content);
    expect(hiPost && bodyOf(hiPost).allowed_mentions).toEqual({ parse: [] });

    // Telegram photo -> Discord: getFile, download from the Bot API's file endpoint, upload to Discord.
    const photo = thad.photo({ caption: 'my telescope' });
    const sizes = photo.message.photo as Json[];
    const largest = String(sizes.at(-1)?.file_id);
    const upload = await discord.waitFor(() => uploadsTo(dana, mark)[0], 5000);
    const getFile = await telegram.waitForCall((c) => c.method === 'getFile' && c.params.file_id === largest, 5000);
    expect(getFile.response.ok).toBe(true);
    expect(upload.files).toHaveLength(1);
    expect(upload.files[0]?.data.equals(telegram.fileBytes(largest) ?? Buffer.alloc(0))).toBe(true);
    expect(upload.files[0]?.name).toBe('photo.jpg');
    expect(bodyOf(upload)).toMatchObject({ content: 'my telescope', allowed_mentions: { parse: [] } });
    const shownPhoto = await dana.waitForBotMessage((m) => m.attachments.length === 1);
    expect(Buffer.from(await (await fetch(shownPhoto.attachments[0]?.url ?? '')).arrayBuffer()).equals(telegram.fileBytes(largest) ?? Buffer.alloc(0))).toBe(true);

    // Discord attachment -> Telegram: downloaded from the Discord CDN and uploaded with sendPhoto.
    // Its name is a screenshot's, naming Dana: the upload must not carry it.
    dana.say({ content: 'and my sky', attachments: [{ fileName: `Screenshot ${dana.user.username} Dagmara.png`, contentType: 'image/png', data: PNG }] });
    const sendPhoto = await callTo(thad.id, 'sendPhoto');
    expect(sendPhoto.response.ok).toBe(true);
    expect(sendPhoto.encoding).toBe('multipart');
    const uploaded = sendPhoto.params.photo as { kind: string; bytes: Buffer; fileName: string };
    expect(uploaded.kind).toBe('upload');
    expect(uploaded.bytes.equals(PNG)).toBe(true);
    expect(uploaded.fileName).toBe('photo.png');
    expect(sendPhoto.params.caption).toBe('and my sky');
    const thadSees = telegram.messages(thad.id).find((m) => m.message_id === resultId(sendPhoto));
    expect(thadSees?.photo).toBeDefined();

    // Replies cross over: Thad answers his copy of Dana's text -> Dana's copy points at her original.
    const replyMark = discord.mark();
    thad.reply(resultId(thadGotHi), 'replying from telegram');
    await dana.waitForText(/^replying from telegram$/);
    const replyPost = discord.requestsMatching('POST', CHANNEL_MESSAGES(dana.dm), replyMark).find((r) => bodyOf(r).content === 'replying from telegram');
    expect(replyPost && bodyOf(replyPost).message_reference).toEqual({ message_id: danaHi.id, channel_id: dana.dm, fail_if_not_exists: false });
    // ...and Dana answers her copy of Thad's text -> Thad's copy replies to his original.
    dana.say({ content: 'replying from discord', replyTo: hiCopy.id });
    const thadReply = await callTo(thad.id, 'sendMessage', (c) => c.params.text === 'replying from discord');
    expect(thadReply.params.reply_parameters).toMatchObject({ message_id: thadHi.messageId });

    // Edits cross over: Thad's edit keeps the Discord copy escaped like the original was.
    const editMark = discord.mark();
    thad.editText(thadHi.messageId, 'hi *from* telegram, edited');
    const patch = await discord.waitForRequest('PATCH', new RegExp(`^/channels/${dana.dm}/messages/${hiCopy.id}$`), { after: editMark, timeoutMs: 5000 });
    expect(bodyOf(patch)).toMatchObject({ content: 'hi \\*from\\* telegram, edited', allowed_mentions: { parse: [] } });
    // Dana's edit reaches Thad's copy with editMessageText.
    discord.userEdits(dana.user, danaHi.id, 'hi from discord (edited)');
    const tgEdit = await callTo(thad.id, 'editMessageText', (c) => c.params.text === 'hi from discord (edited)');
    expect(tgEdit.params.message_id).toBe(resultId(thadGotHi));

    thad.command('stop');
    await dana.waitForText(/stranger left the chat/);
    await w.settle();

    // Nothing sent to Thad carries Dana's ids or names, and nothing sent to Dana carries Thad's.
    const danaSecrets = [dana.id, dana.user.username, 'Dagmara', 'Wexfordine', dana.dm];
    const thadSecrets = [String(thad.id), 'thad_okon', 'Thaddeus', 'Okonkwolu'];
    const toThad = expectTelegramClean(telegram, thad.id, danaSecrets);
    // A Discord message cannot be copied by the Bot API, so no copyMessage (and so no from_chat_id) was needed.
    expect(toThad.filter((c) => c.method === 'copyMessage' || c.method === 'copyMessages')).toEqual([]);
    expect(toThad.map((c) => c.method)).toEqual(expect.arrayContaining(['sendMessage', 'sendPhoto', 'editMessageText']));
    expectDiscordClean(discord, dana.user, thadSecrets);
    // Telegram file urls contain the bot token; it never reaches Discord.
    for (const request of discord.requests) expect(JSON.stringify(request.json ?? null)).not.toContain(telegram.token);
  });

  it("two Telegram users next to Discord: copies use copyMessage, whose from_chat_id is the sender's chat and nothing else leaks", async () => {
    const una = telegramUser({ id: 604_113_287, first_name: 'Unaleigh', last_name: 'Brackwater', username: 'una_brk' });
    const vic = telegramUser({ id: 588_902_461, first_name: 'Victorin', username: 'vic_tor_q' });
    una.command('find', 'origami');
    await textTo(una.id, /Looking for a stranger/);
    vic.command('find', 'origami');
    await Promise.all([textTo(una.id, CONNECTED), textTo(vic.id, CONNECTED)]);

    const hello = una.text('hello from una');
    const photo = una.photo({ caption: 'folded crane' });
    vic.text('hi una');
    const copies = [
      await callTo(vic.id, 'copyMessage', (c) => c.params.message_id === hello.messageId),
      await callTo(vic.id, 'copyMessage', (c) => c.params.message_id === photo.messageId),
    ];
    await callTo(una.id, 'copyMessage');
    // from_chat_id is the API's pointer to the original (the sender's private chat id); it is never shown.
    for (const c of copies) expect(String(c.params.from_chat_id)).toBe(String(una.id));
    una.command('stop');
    await textTo(vic.id, /stranger left the chat/);
    await w.settle();

    expectTelegramClean(telegram, vic.id, [String(una.id), 'una_brk', 'Unaleigh', 'Brackwater'], [String(una.id)]);
    expectTelegramClean(telegram, una.id, [String(vic.id), 'vic_tor_q', 'Victorin'], [String(vic.id)]);
    // Nobody on Discord was involved.
    expect(discord.requestsMatching('POST', /^\/channels\/\d+\/messages$/).every((r) => !JSON.stringify(r.json).includes('from una'))).toBe(true);
  });
});
