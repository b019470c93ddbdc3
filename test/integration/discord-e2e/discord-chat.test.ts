import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeDiscord, RecordedRequest } from '../../fakes/discord/index.js';
import {
  bodyOf,
  buttonsOf,
  CONNECTED,
  contentBodies,
  DiscordPerson,
  expectDiscordClean,
  firstCallback,
  PNG,
  sleep,
  startE2EWorld,
  type E2EWorld,
} from './world.js';

/*
 * The Discord scenarios end to end: the real service (Postgres, Redis, matcher, relay) with
 * the real DiscordTransport talking REST + gateway to the local fake Discord.
 */

const PDF = Buffer.from('%PDF-1.4\n% fake notes\n%%EOF\n');
const EPHEMERAL = 64;
const CHANNEL_MESSAGES = (channelId: string): RegExp => new RegExp(`^/channels/${channelId}/messages$`);

describe('Discord end to end: two Discord users through the whole service', () => {
  let w: E2EWorld;
  let fake: FakeDiscord;

  beforeAll(async () => {
    w = await startE2EWorld();
    fake = w.discord;
  });

  afterAll(async () => {
    await w.stop();
  });

  // A failed test must not leave someone searching or chatting for the next test to meet.
  let people: DiscordPerson[] = [];
  afterEach(async () => {
    fake.clearFailures();
    const { core, sessions, matching } = w.t.app;
    for (const p of people) {
      const user = await core.users.resolve({ platform: 'discord', externalId: p.id });
      const live = await sessions.current(user.id);
      if (live) await sessions.end(live.sessionId, 'stop', user.id);
      await matching.cancelSearch(user.id);
    }
    people = [];
    await w.settle();
  });

  const person = (username: string, globalName: string): DiscordPerson => {
    const p = new DiscordPerson(fake, fake.addUser(username, globalName));
    people.push(p);
    return p;
  };

  /** Everything that identifies `p` to someone else. */
  const secretsOf = (p: DiscordPerson): string[] => [p.id, p.user.username, ...(p.user.global_name ?? '').split(' '), p.dm];

  const expectAnonymous = (a: DiscordPerson, b: DiscordPerson): void => {
    expectDiscordClean(fake, b.user, secretsOf(a));
    expectDiscordClean(fake, a.user, secretsOf(b));
  };

  /** Both use /find in their DMs (a first); resolves once both were told they are connected. */
  const pair = async (a: DiscordPerson, b: DiscordPerson): Promise<void> => {
    a.slash('find');
    await a.waitForText(/Looking for a stranger/);
    b.slash('find');
    await Promise.all([a.waitForText(CONNECTED), b.waitForText(CONNECTED)]);
  };

  const sessionOf = async (a: DiscordPerson, b: DiscordPerson) =>
    w.t.app.prisma.session.findFirstOrThrow({
      where: { userA: { externalId: { in: [a.id, b.id] } }, userB: { externalId: { in: [a.id, b.id] } } },
      include: { userA: true, userB: true },
      orderBy: { startedAt: 'desc' },
    });

  const postsTo = (p: DiscordPerson, after: number): RecordedRequest[] => fake.requestsMatching('POST', CHANNEL_MESSAGES(p.dm), after);

  it('/find in a server answers "Check your DMs" ephemerally and opens the DM; /find in the DM; the two are connected', async () => {
    const a = person('zorbalina_q', 'Zorbalina Quixote');
    const b = person('barnabus_v', 'Barnabus Vexley');

    const mark = fake.mark();
    const inServer = a.slash('find', { interests: 'chess' }, w.guild);
    const pointer = await fake.waitForRequest('PATCH', /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/, { after: mark, timeoutMs: 5000 });
    expect(bodyOf(pointer).content).toMatch(/Check your DMs/);
    expect(bodyOf(pointer).allowed_mentions).toEqual({ parse: [] });
    expect(inServer.callbacks[0]).toMatchObject({ type: 5, data: { flags: EPHEMERAL } });
    expect(inServer.ephemeral).toBe(true);
    // The pointer stays in the server channel, visible only to A; nothing about the chat is posted there.
    expect(fake.message(inServer.originalMessageId ?? '')?.channel_id).toBe(w.guild.channelId);
    expect(fake.messagesIn(w.guild.channelId).filter((m) => (m.flags & EPHEMERAL) === 0)).toEqual([]);
    // The DM was opened for A, greeted, and the search is answered there.
    expect(fake.requestsMatching('POST', /^\/users\/@me\/channels$/, mark).map((r) => bodyOf(r).recipient_id)).toContain(a.id);
    await a.waitForText(/You used \*\*\/find\*\* in a server/);
    const searching = await a.waitForText(/Looking for a stranger \(interests: chess\)/);
    expect(buttonsOf(searching).map((btn) => btn.label)).toEqual(['Stop']);

    const inDm = b.slash('find', { interests: 'chess' });
    await Promise.all([a.waitForText(CONNECTED), b.waitForText(CONNECTED)]);
    // In the DM the command is answered by its own interaction reply, not by a pointer.
    expect([4, 5]).toContain((await firstCallback(fake, inDm)).type);
    expect(inDm.ephemeral).toBe(false);
    expect(fake.message(inDm.originalMessageId ?? '')?.channel_id).toBe(b.dm);
    const connected = await b.waitForText(CONNECTED);
    expect(connected.content).toMatch(/You both like: chess/);
    expect(buttonsOf(connected).map((btn) => btn.label)).toEqual(['Next', 'Stop']);

    const session = await sessionOf(a, b);
    expect(session.endedAt).toBeNull();
    expect([session.userA.platform, session.userB.platform]).toEqual(['discord', 'discord']);
    expect(session.id).toMatch(/^session_[0-9a-f]{10}$/);
    // The session id is all either side gets to see of the pairing.
    expect(a.texts().join('\n')).not.toContain(b.id);

    b.slash('stop');
    await a.waitForText(/stranger left the chat/);
    await w.settle();
    expectAnonymous(a, b);
  });

  it('relays text and attachments both ways; @everyone is shown as written and every send carries allowed_mentions {parse: []}', async () => {
    const a = person('quillon_m', 'Quillon Marchetti');
    const b = person('ysolde_r', 'Ysolde Ravenholt');
    await pair(a, b);
    const mark = fake.mark();

    const loud = `@everyone @here look <@${b.id}> <@&1200000000000000042> **really**`;
    a.say(loud);
    const loudCopy = await b.waitForText(/^@everyone @here look/);
    // Discord text stays Discord markdown; nobody is pinged.
    expect(loudCopy.content).toBe(loud);
    const loudPost = postsTo(b, mark).find((r) => bodyOf(r).content === loud);
    expect(loudPost && bodyOf(loudPost).allowed_mentions).toEqual({ parse: [] });

    b.say('@everyone right back at you');
    await a.waitForText(/^@everyone right back at you$/);

    a.say({ content: 'my cat', attachments: [{ fileName: `${a.user.username} Quillon cat.png`, contentType: 'image/png', data: PNG }] });
    const photoCopy = await b.waitForBotMessage((m) => m.attachments.length === 1 && m.content === 'my cat');
    const photoPost = postsTo(b, mark).find((r) => r.files.length === 1);
    expect(photoPost?.files[0]?.data.equals(PNG)).toBe(true);
    // A photo's own name can be a camera or screenshot name (here it names A): it travels neutrally.
    expect(photoPost?.files[0]?.name).toBe('photo.png');
    const delivered = Buffer.from(await (await fetch(photoCopy.attachments[0]?.url ?? '')).arrayBuffer());
    expect(delivered.equals(PNG)).toBe(true);

    b.say({ content: 'my notes', attachments: [{ fileName: 'notes.pdf', contentType: 'application/pdf', data: PDF }] });
    const docCopy = await a.waitForBotMessage((m) => m.attachments.length === 1 && m.content === 'my notes');
    expect(docCopy.attachments[0]?.filename).toBe('notes.pdf');
    const docPost = postsTo(a, mark).find((r) => r.files.length === 1);
    expect(docPost?.files[0]?.data.equals(PDF)).toBe(true);
    await w.settle();

    // Every message the bot wrote in this chat, relayed or not, neutralizes mentions.
    const sends = contentBodies(fake.requests.filter((r) => r.seq > mark && r.method !== 'GET'));
    expect(sends.length).toBeGreaterThanOrEqual(4);
    for (const { request, body } of sends) {
      expect(body.allowed_mentions, `${request.method} ${request.path}`).toEqual({ parse: [] });
    }

    // The log has each message with its copy, so edits and replies can follow.
    const session = await sessionOf(a, b);
    const logged = await w.t.app.prisma.message.findMany({ where: { sessionId: session.id }, orderBy: { createdAt: 'asc' } });
    expect(logged.map((m) => m.kind)).toEqual(['text', 'text', 'photo', 'document']);
    expect(logged.every((m) => m.copyMessageId !== null)).toBe(true);
    expect(logged[2]?.copyMessageId).toBe(photoCopy.id);

    a.slash('stop');
    await b.waitForText(/stranger left the chat/);
    await w.settle();
    expectAnonymous(a, b);
  });

  it("edits, deletes and replies follow: PATCH and DELETE of the partner's copy, message_reference to the partner's copy", async () => {
    const a = person('oderic_f', 'Oderic Fairweather');
    const b = person('pemberly_s', 'Pemberly Stonegrave');
    await pair(a, b);

    const original = a.say('helo wrld');
    const copy = await b.waitForText(/^helo wrld$/);

    const editMark = fake.mark();
    fake.userEdits(a.user, original.id, 'hello world');
    const patch = await fake.waitForRequest('PATCH', new RegExp(`^/channels/${b.dm}/messages/${copy.id}$`), { after: editMark, timeoutMs: 5000 });
    expect(bodyOf(patch)).toMatchObject({ content: 'hello world', allowed_mentions: { parse: [] } });
    expect(fake.message(copy.id)?.content).toBe('hello world');

    // B replies to the copy in B's DM: A's copy of the reply points at A's own original.
    const replyMark = fake.mark();
    const bReply = b.say({ content: 'replying to you', replyTo: copy.id });
    const replyCopy = await a.waitForText(/^replying to you$/);
    const replyPost = postsTo(a, replyMark).find((r) => bodyOf(r).content === 'replying to you');
    expect(replyPost && bodyOf(replyPost).message_reference).toEqual({ message_id: original.id, channel_id: a.dm, fail_if_not_exists: false });
    expect(replyCopy.referenced_message?.id).toBe(original.id);

    // A answers the copy of B's reply: B's copy points at B's original.
    const backMark = fake.mark();
    a.say({ content: 'and back', replyTo: replyCopy.id });
    await b.waitForText(/^and back$/);
    const backPost = postsTo(b, backMark).find((r) => bodyOf(r).content === 'and back');
    expect(backPost && bodyOf(backPost).message_reference).toEqual({ message_id: bReply.id, channel_id: b.dm, fail_if_not_exists: false });

    // A deletes the original: B's copy goes too, and the bot's own delete is not taken for B's.
    const deleteMark = fake.mark();
    fake.userDeletes(a.user, original.id);
    await fake.waitForRequest('DELETE', new RegExp(`^/channels/${b.dm}/messages/${copy.id}$`), { after: deleteMark, timeoutMs: 5000 });
    expect(fake.message(copy.id)).toBeUndefined();
    await sleep(100);
    await w.settle();
    expect(fake.requests.filter((r) => r.seq > deleteMark && r.method === 'DELETE')).toHaveLength(1);

    // B's reply to a copy that is gone by now: the reference is kept but must not fail the send.
    const staleMark = fake.mark();
    b.say({ content: 'wait, what did you say?', replyTo: copy.id });
    const stale = await a.waitForText(/^wait, what did you say\?$/);
    const stalePost = postsTo(a, staleMark).find((r) => bodyOf(r).content === 'wait, what did you say?');
    expect(stalePost?.status).toBe(200);
    expect(stalePost && bodyOf(stalePost).message_reference).toEqual({ message_id: original.id, channel_id: a.dm, fail_if_not_exists: false });
    expect(stale.referenced_message).toBeNull();

    const session = await sessionOf(a, b);
    const row = await w.t.app.prisma.message.findFirstOrThrow({ where: { sessionId: session.id, origMessageId: original.id } });
    expect(row).toMatchObject({ text: 'hello world', copyChatId: `discord:${b.dm}`, copyMessageId: copy.id });
    expect(row.editedAt).not.toBeNull();
    expect(row.deletedAt).not.toBeNull();

    b.slash('stop');
    await a.waitForText(/stranger left the chat/);
    await w.settle();
    expectAnonymous(a, b);
  });

  it('rating and reporting through buttons and modals store Feedback and Report rows in Postgres', async () => {
    const a = person('heloise_k', 'Heloise Kettleburn');
    const b = person('ignatius_p', 'Ignatius Pendragast');
    await pair(a, b);
    a.say('hi');
    await b.waitForText(/^hi$/);
    const session = await sessionOf(a, b);

    a.slash('stop');
    await a.waitForText(/You left the chat/);
    await b.waitForText(/stranger left the chat/);
    const aPrompt = await a.waitForText(/How was this chat/);
    const bPrompt = await b.waitForText(/How was this chat/);
    expect(buttonsOf(bPrompt).map((btn) => btn.label)).toEqual(['★', '★★', '★★★', '★★★★', '★★★★★', 'Report', 'Block', 'Find next']);
    expect(buttonsOf(bPrompt)[1]?.custom_id).toBe(`rate:2:${session.id}`);

    // B gives two stars: the comment form opens as a modal at once; B writes a comment.
    const bRate = b.press(bPrompt, '★★');
    expect(await firstCallback(fake, bRate)).toMatchObject({ type: 9 });
    const bModal = bRate.modal as { custom_id: string; title: string; components: { label: string }[] };
    expect(bModal).toMatchObject({ custom_id: `comment:${session.id}`, title: 'Feedback' });
    expect(bModal.components[0]?.label).toBe('Your comment (optional)');
    // The thanks also lands in the DM, with a button that reopens the form if the modal was dismissed.
    const thanks = await b.waitForText(/Thanks for your rating/);
    expect(buttonsOf(thanks).map((btn) => btn.label)).toEqual(['✍️ Feedback']);
    fake.submitModal(b.user, bModal.custom_id, '  a bit dull  ', bPrompt.id);
    await b.waitForText(/comment was saved/);

    // A gives five stars and dismisses the modal; pressing twice is refused politely.
    const aRate = a.press(aPrompt, '★★★★★');
    expect(await firstCallback(fake, aRate)).toMatchObject({ type: 9 });
    await a.waitForText(/Thanks for your rating/);
    a.press(aPrompt, '★');
    await a.waitForText(/already rated/);

    // A reports B: Report → category buttons → Harassment → modal for a note → note submitted.
    const reportPress = a.press(aPrompt, 'Report');
    const pick = await a.waitForText(/What happened\?/);
    expect((await firstCallback(fake, reportPress)).type).toBe(6);
    expect(buttonsOf(pick).map((btn) => btn.label)).toEqual(['Harassment', 'Spam or scam', 'Sexual content', 'Minor safety', 'Other']);
    const category = a.press(pick, 'Harassment');
    expect(await firstCallback(fake, category)).toMatchObject({ type: 9 });
    const reportModal = category.modal as { custom_id: string; title: string };
    expect(reportModal.title).toBe('Report');
    await a.waitForText(/report was sent to our moderators/);
    fake.submitModal(a.user, reportModal.custom_id, 'insulted me twice', pick.id);
    await a.waitForText(/note was added to the report/);
    await w.settle();

    const [rater, rated] = session.userA.externalId === a.id ? [session.userA, session.userB] : [session.userB, session.userA];
    const feedback = await w.t.app.prisma.feedback.findMany({ where: { sessionId: session.id }, orderBy: { rating: 'asc' } });
    expect(feedback.map((f) => ({ userId: f.userId, rating: f.rating, comment: f.comment }))).toEqual([
      { userId: rated.id, rating: 2, comment: 'a bit dull' },
      { userId: rater.id, rating: 5, comment: null },
    ]);
    const reports = await w.t.app.prisma.report.findMany({ where: { sessionId: session.id } });
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      reporterId: rater.id,
      reportedId: rated.id,
      category: 'harassment',
      comment: 'insulted me twice',
      status: 'open',
    });
    // Reporting also keeps the two apart from now on.
    expect(await w.t.app.prisma.block.count({ where: { blockerId: rater.id, blockedId: rated.id } })).toBe(1);
    expectAnonymous(a, b);
  });

  it("50007 on the partner's DM ends the session as unreachable and tells the sender", async () => {
    const a = person('cressida_l', 'Cressida Lowenthal');
    const b = person('dorian_h', 'Dorian Hasselbeck');
    await pair(a, b);
    const session = await sessionOf(a, b);

    // B closes DMs (or blocks the bot): Discord refuses every message into B's DM with 50007.
    fake.failSendsTo(b.user, 50007);
    const mark = fake.mark();
    a.say('are you still there?');
    await a.waitForText(/can no longer be reached/);
    await a.waitForNth(/How was this chat/, 0);
    await w.settle();

    const refused = postsTo(b, mark);
    expect(refused.map((r) => r.status)).toEqual([403]);
    const ended = await w.t.app.prisma.session.findUniqueOrThrow({ where: { id: session.id }, include: { endedBy: true } });
    expect(ended.endReason).toBe('unreachable');
    expect(ended.endedAt).not.toBeNull();
    expect(ended.endedBy?.externalId).toBe(b.id);
    const users = await w.t.app.prisma.user.findMany({ where: { platform: 'discord', externalId: { in: [a.id, b.id] } } });
    expect(users.map((u) => u.status)).toEqual(['offline', 'offline']);

    // A is out of the chat: the next message is answered with a hint, and nothing more is tried for B.
    a.say('hello?');
    await a.waitForText(/not in a chat/);
    await w.settle();
    expect(postsTo(b, mark)).toHaveLength(1);
    expect(a.texts().filter((t) => /can no longer be reached/.test(t))).toHaveLength(1);
    expectAnonymous(a, b);
  });
});
