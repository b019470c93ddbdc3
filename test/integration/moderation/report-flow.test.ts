import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { button, MOD_ID, noticeOf, pair, relayedTexts, sleep, startModWorld, type ModWorld } from './helpers.js';

const DAY = 86_400_000;

describe('report → review → ban → expiry, end to end', () => {
  let w: ModWorld;
  beforeAll(async () => {
    w = await startModWorld();
  });
  afterAll(async () => {
    await w.t.stop();
  });

  it('a reported user is reviewed and banned for 24 h, loses the live chat, is refused, and can /find again after expiry', async () => {
    const { fake, mod, t } = w;
    const alice = fake.user('101');
    const bob = fake.user('102');
    const carol = fake.user('103');
    await pair(alice, bob);
    await alice.say('hi from alice, secret words');
    await bob.say('you are awful');
    await bob.say('go away loser');
    await w.settle();
    expect(relayedTexts(alice)).toEqual(['you are awful', 'go away loser']);

    // Report during the chat: category by button, then a note through the form.
    await alice.command('report');
    await w.settle();
    await alice.press(button(noticeOf(alice, /What happened/), 'rcat:harassment:'));
    await w.settle();
    const thanks = noticeOf(alice, /report was sent to our moderators/);
    if (!thanks.form) throw new Error('no note form');
    await alice.press(thanks.form.action, 'he insulted me');
    await w.settle();
    expect(alice.texts().at(-1)).toMatch(/note was added/);
    // A second report of the same chat is not a second report.
    await alice.command('report', 'he also threatened me');
    await w.settle();
    expect(alice.texts().at(-1)).toMatch(/note was added/);
    expect(await t.app.prisma.report.count()).toBe(1);
    await alice.command('stop');
    await w.settle();

    // Message rows past retention are purged; the open report keeps its snapshot.
    await t.app.prisma.message.updateMany({ data: { createdAt: new Date(Date.now() - 8 * DAY) } });
    expect(await t.app.retention.purgeNow()).toEqual({ messages: 3, snapshots: 0 });

    // Bob moves on and is chatting with Carol when the moderator acts.
    await pair(bob, carol);
    const bobHandle = await w.handle(bob);
    const aliceHandle = await w.handle(alice);

    await mod.command('mod', 'reports');
    await w.settle();
    const list = noticeOf(mod, /^Reports \(open\)/);
    expect(list.text).toMatch(new RegExp(`#[0-9a-f]{8} · Harassment · \\d+s ago · ${bobHandle} \\(0 prior\\)`));
    expect(list.text).not.toContain('102');

    await mod.press(button(list, 'mod:open:'));
    await w.settle();
    const view = noticeOf(mod, /^Report #/);
    expect(view.text).toContain(`Reported user: ${bobHandle} · reported by ${aliceHandle}`);
    expect(view.text).toContain('Comment: he insulted me\nhe also threatened me');
    expect(view.text).toMatch(/\d\d:\d\d:\d\d you are awful\n\d\d:\d\d:\d\d go away loser/);
    expect(view.text).not.toContain('secret words');
    expect(view.text).toContain(`Prior reports against ${bobHandle}: none`);
    expect(view.text).toContain(`State of ${bobHandle}: chatting`);
    for (const secret of ['101', '102', '103', MOD_ID]) expect(view.text).not.toContain(secret);

    const before = { carol: carol.texts().length, bob: bob.texts().length };
    await mod.press(button(view, 'mod:ban:24h:'));
    await w.settle();
    expect(mod.texts().at(-1)).toMatch(new RegExp(`^Banned ${bobHandle} for 24 h \\(until \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\)\\. 1 open report closed\\.$`));

    // The live chat ended: Carol gets the ordinary notice, Bob the ban with its end.
    expect(carol.texts().slice(before.carol)).toContain('The chat has ended.');
    const ban = await t.app.prisma.ban.findFirstOrThrow({ where: { user: { handle: bobHandle } } });
    const until = ban.until?.toISOString().slice(0, 16).replace('T', ' ');
    expect(ban.until!.getTime() - ban.startsAt.getTime()).toBe(DAY);
    expect(ban.reason).toMatch(/^Harassment \(report #[0-9a-f]{8}\)$/);
    expect(bob.texts().slice(before.bob).at(-1)).toBe(`A moderator has banned you from EchoSoul until ${until} UTC.\nReason: ${ban.reason}`);
    const carolId = await w.userId(carol);
    const session = await t.app.prisma.session.findFirstOrThrow({ where: { OR: [{ userAId: carolId }, { userBId: carolId }] } });
    expect(session.endReason).toBe('banned');
    expect(await t.app.matching.partnerOf(carolId)).toBeNull();

    const report = await t.app.prisma.report.findFirstOrThrow();
    expect(report.status).toBe('actioned');
    expect(report.resolution).toBe('banned for 24 h');
    const action = await t.app.prisma.moderatorAction.findFirstOrThrow({ where: { action: 'ban' } });
    expect(action).toMatchObject({ moderatorId: await w.userId(mod), targetUserId: await w.userId(bob), reportId: report.id });

    // The expiry is a BullMQ delayed job due at the ban's end.
    const pending = await t.app.banExpiry.pending();
    expect(pending).toContainEqual({ banId: ban.id, dueAt: expect.closeTo(ban.until!.getTime(), -3) as number });

    await bob.command('find');
    await w.settle();
    expect(bob.texts().at(-1)).toBe(`You are banned from chatting until ${until} UTC.`);

    // The moderator's view of the user shows the ban and the audit trail.
    await mod.command('mod', `user ${bobHandle}`);
    await w.settle();
    const user = mod.texts().at(-1) ?? '';
    expect(user).toContain(`State: offline, banned until ${until} UTC`);
    expect(user).toMatch(/Reports against: 1 \(0 open\) · reports made: 0/);
    expect(user).toMatch(new RegExp(`→ ${until} UTC · active · by u_[0-9a-f]{6} · Harassment`));
    expect(user).toMatch(/ · ban · by u_[0-9a-f]{6} · report #[0-9a-f]{8} · Harassment/);

    // A day later the job runs (driven here) and Bob may search again.
    w.clock.offsetMs = DAY + 60_000;
    await t.app.banExpiry.expireNow(ban.id);
    await w.settle();
    expect(bob.texts().at(-1)).toMatch(/Your ban has ended/);
    await bob.command('find');
    await w.settle();
    expect(bob.texts().at(-1)).toMatch(/Looking for a stranger/);
    await bob.command('stop');
    await w.settle();
    w.clock.offsetMs = 0;
  });

  it('empties the snapshot of a closed report once RETENTION_DAYS have passed since the decision', async () => {
    const { mod, t } = w;
    const report = await t.app.prisma.report.findFirstOrThrow({ where: { status: 'actioned' } });
    expect(report.snapshot).toHaveLength(2);
    // Closed, but recently: the evidence stays for questions and appeals.
    expect(await t.app.retention.purgeNow()).toEqual({ messages: 0, snapshots: 0 });
    await t.app.prisma.report.update({ where: { id: report.id }, data: { resolvedAt: new Date(Date.now() - 8 * DAY) } });
    expect(await t.app.retention.purgeNow()).toEqual({ messages: 0, snapshots: 1 });
    const after = await t.app.prisma.report.findUniqueOrThrow({ where: { id: report.id } });
    expect(after.snapshot).toEqual([]);
    expect(after.snapshotPurgedAt).not.toBeNull();
    expect(after.status).toBe('actioned');

    await mod.command('mod', `report ${report.id.slice(-8)}`);
    await w.settle();
    const view = mod.texts().at(-1) ?? '';
    expect(view).toMatch(/^Report #/);
    expect(view).toMatch(/in this chat: purged \d{4}-\d\d-\d\d, after the retention period/);
    expect(view).not.toContain('you are awful');
    // Done once: the next run finds nothing more to empty.
    expect(await t.app.retention.purgeNow()).toEqual({ messages: 0, snapshots: 0 });
  });

  it('an expiry job that runs early comes back later instead of lifting the ban', async () => {
    const dave = w.fake.user('104');
    await dave.command('start');
    const moderator = await w.t.app.core.users.resolve(w.mod.ref);
    const target = await w.t.app.core.users.resolve(dave.ref);
    const { ban } = await w.t.app.moderation.ban({ moderator, target, durationMs: 3_600_000, reason: 'early test' });
    await w.t.app.banExpiry.expireNow(ban.id);
    await w.settle();
    expect(dave.texts().some((x) => /ban has ended/.test(x))).toBe(false);
    await dave.command('find');
    await w.settle();
    expect(dave.texts().at(-1)).toMatch(/banned from chatting until/);
  });

  it('a short ban ends by itself through the real delayed job', async () => {
    const erin = w.fake.user('105');
    await erin.command('start');
    const moderator = await w.t.app.core.users.resolve(w.mod.ref);
    const target = await w.t.app.core.users.resolve(erin.ref);
    await w.t.app.moderation.ban({ moderator, target, durationMs: 1500, reason: 'cool down' });
    await w.settle();
    await erin.command('find');
    await w.settle();
    expect(erin.texts().at(-1)).toMatch(/banned from chatting until/);
    await erin.waitFor((x) => /Your ban has ended/.test(x), 10_000);
    await sleep(50);
    await erin.command('find');
    await w.settle();
    expect(erin.texts().at(-1)).toMatch(/Looking for a stranger/);
    await erin.command('stop');
    await w.settle();
  });

  it('a permanent ban from /mod ban refuses /find without an end, and /mod unban lifts it', async () => {
    const frank = w.fake.user('106');
    await frank.command('find');
    await w.settle();
    const h = await w.handle(frank);
    await w.mod.command('mod', `ban ${h} perm spamming links`);
    await w.settle();
    expect(w.mod.texts().at(-1)).toBe(`Banned ${h} permanently.`);
    expect(frank.texts().at(-1)).toBe('A moderator has banned you from EchoSoul permanently.\nReason: spamming links');
    // The waiting search was dropped, in Redis and in Postgres.
    expect((await w.t.app.prisma.user.findUniqueOrThrow({ where: { handle: h } })).status).toBe('offline');
    await frank.command('find');
    await w.settle();
    expect(frank.texts().at(-1)).toBe('You are banned from chatting.');

    await w.mod.command('mod', `unban ${h} appeal accepted`);
    await w.settle();
    expect(w.mod.texts().at(-1)).toBe(`${h}: 1 ban lifted.`);
    expect(frank.texts().at(-1)).toMatch(/ban has been lifted/);
    await frank.command('find');
    await w.settle();
    expect(frank.texts().at(-1)).toMatch(/Looking for a stranger/);
    await frank.command('stop');

    await w.mod.command('mod', `warn ${h} please keep it friendly`);
    await w.mod.command('mod', `unban ${h}`);
    await w.mod.command('mod', 'ban u_zzzzzz 24h x');
    await w.mod.command('mod', `ban ${h} 3 eternities`);
    await w.mod.command('mod', `ban ${h} 24h`);
    await w.settle();
    expect(frank.texts().at(-1)).toBe('Message from the EchoSoul moderators:\nplease keep it friendly');
    expect(w.mod.texts().slice(-5)).toEqual([
      `Warning sent to ${h}.`,
      `${h} has no active ban or suspension.`,
      '"u_zzzzzz" is not a user handle (like u_4f9c2a).',
      '"3" is not a duration: use 30m, 24h, 7d, 2w or perm.',
      'Usage: /mod ban <handle> <30m|24h|7d|2w|perm> <reason>',
    ]);
    const actions = await w.t.app.prisma.moderatorAction.findMany({ where: { targetUser: { handle: h } }, orderBy: { createdAt: 'asc' } });
    expect(actions.map((a) => [a.action, a.reason])).toEqual([
      ['ban', 'spamming links'],
      ['unban', 'appeal accepted'],
      ['warn', 'please keep it friendly'],
    ]);
  });
});
