import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { button, noticeOf, pair, startModWorld, type ModWorld } from './helpers.js';

describe('automatic suspension after reports from three different people', () => {
  let w: ModWorld;
  beforeAll(async () => {
    w = await startModWorld();
  });
  afterAll(async () => {
    await w.t.stop();
  });

  it('suspends the reported user from /find (not banned), tells the moderators, and lifts once every report is reviewed', async () => {
    const { fake, mod, t } = w;
    const target = fake.user('6000');
    const reporters = [fake.user('6001'), fake.user('6002'), fake.user('6003')];
    const handle = async () => w.handle(target);

    for (const [i, r] of reporters.entries()) {
      await pair(r, target);
      await target.say(`rude message ${i}`);
      await w.settle();
      await r.command('report', i === 0 ? 'spam buy my stuff' : 'harassment');
      // The same person reporting again does not count twice.
      if (i === 0) await r.command('report', 'spam again');
      await w.settle();
      const row = await t.app.prisma.user.findUniqueOrThrow({ where: { handle: await handle() } });
      if (i < 2) {
        expect(row.suspendedAt).toBeNull();
        expect(mod.texts()).toEqual([]);
        await r.command('stop');
        await w.settle();
      } else {
        expect(row.suspendedAt).not.toBeNull();
      }
    }
    const h = await handle();
    expect(mod.texts()).toEqual([
      `⚠️ ${h} was reported by 3 different people within 24 h and is suspended from /find until a moderator looks.\n/mod user ${h} · /mod reports open`,
    ]);
    expect(await t.app.prisma.ban.count()).toBe(0);
    const audit = await t.app.prisma.moderatorAction.findFirstOrThrow();
    expect(audit).toMatchObject({ action: 'suspend', moderatorId: null, targetUserId: await w.userId(target) });

    // The live chat is not ended by a suspension; the next /find is refused.
    expect(await t.app.matching.partnerOf(await w.userId(target))).not.toBeNull();
    await reporters[2]!.command('stop');
    await target.command('find');
    await w.settle();
    expect(target.texts().at(-1)).toBe('Your account is paused while a moderator reviews recent reports. Please check back later.');

    await mod.command('mod', `user ${h}`);
    await w.settle();
    const view = mod.texts().at(-1) ?? '';
    expect(view).toMatch(/State: offline, suspended since \d{4}-/);
    expect(view).toContain('Reports against: 3 (3 open) · reports made: 0');
    expect(view).toMatch(/ · suspend · by system · report #[0-9a-f]{8} · reported by 3 people within 24 h/);

    // Reviewing: the first two dismissals leave it in place, the last lifts it.
    await mod.command('mod', 'reports open');
    await w.settle();
    const list = noticeOf(mod, /^Reports \(open\)/);
    expect(list.text).toMatch(/page 1 of 1, 3 in all/);
    expect(list.text).toMatch(new RegExp(`${h} \\(2 prior\\)[\\s\\S]*${h} \\(1 prior\\)[\\s\\S]*${h} \\(0 prior\\)`));
    const opens = list.buttons?.flat().map((b) => b.action) ?? [];
    expect(opens).toHaveLength(3);
    for (const [i, open] of opens.entries()) {
      await mod.press(open);
      await w.settle();
      await mod.press(button(noticeOf(mod, /^Report #/), 'mod:dismiss:'));
      await w.settle();
      const reply = mod.texts().at(-1) ?? '';
      if (i < 2) expect(reply).toMatch(new RegExp(`dismissed\\.\\n${h} stays suspended: ${2 - i} open reports? left`));
      else expect(reply).toMatch(/^Report #[0-9a-f]{8} dismissed\.$/);
    }
    // Pressing again on a closed report does nothing new.
    await mod.press(opens[0]!.replace('mod:open:', 'mod:dismiss:'));
    await w.settle();
    expect(mod.texts().at(-1)).toMatch(/is already closed \(dismissed: dismissed\)/);

    expect(target.texts().at(-1)).toBe('A moderator has reviewed the recent reports. You can use /find again.');
    await target.command('find');
    await w.settle();
    expect(target.texts().at(-1)).toMatch(/Looking for a stranger/);
    await target.command('stop');
    await w.settle();
    const actions = await t.app.prisma.moderatorAction.findMany({ orderBy: { createdAt: 'asc' } });
    expect(actions.map((a) => a.action)).toEqual(['suspend', 'dismiss', 'dismiss', 'dismiss', 'unsuspend']);
  });

  it('drops a waiting search when the suspension hits, and tells the person', async () => {
    const target = w.fake.user('6100');
    const reporters = [w.fake.user('6101'), w.fake.user('6102'), w.fake.user('6103')];
    for (const r of reporters) {
      await pair(r, target);
      await r.command('stop');
      await w.settle();
    }
    // Reports after the chats (within 24 h); the last one lands while the target is searching.
    await reporters[0]!.command('report', 'sexual unwanted pictures');
    await reporters[1]!.command('report', 'spam');
    await target.command('find');
    await w.settle();
    expect(target.texts().at(-1)).toMatch(/Looking for a stranger/);
    await reporters[2]!.command('report', 'harassment');
    await w.settle();
    expect(target.texts().at(-1)).toBe('Your search was stopped: your account is paused while a moderator reviews recent reports.');
    const row = await w.t.app.prisma.user.findUniqueOrThrow({ where: { handle: await w.handle(target) } });
    expect(row.suspendedAt).not.toBeNull();
    expect(row.status).toBe('offline');
    expect(await w.t.app.matcher.matchmaker.state(row.id)).toBe('offline');
    // Even a search that slipped past Postgres would be refused by the matcher.
    await expect(
      w.t.app.matching.search({ userId: row.id, platform: 'telegram', interests: [], language: null, avoid: [] }),
    ).rejects.toMatchObject({ code: 'banned' });

    // /mod unban lifts a suspension too.
    await w.mod.command('mod', `unban ${row.handle} reviewed`);
    await w.settle();
    expect(w.mod.texts().at(-1)).toBe(`${row.handle}: suspension lifted.`);
    await target.command('find');
    await w.settle();
    expect(target.texts().at(-1)).toMatch(/Looking for a stranger/);
    await target.command('stop');
    await w.settle();
  });

  it('tells the moderators at once about a minor-safety report', async () => {
    const a = w.fake.user('6201');
    const b = w.fake.user('6202');
    await pair(a, b);
    await a.command('report');
    await w.settle();
    await a.press(button(noticeOf(a, /What happened/), 'rcat:minor_safety:'));
    await w.settle();
    const h = await w.handle(b);
    const report = await w.t.app.prisma.report.findFirstOrThrow({ where: { category: 'minor_safety' } });
    expect(w.mod.texts().at(-1)).toBe(`⚠️ New minor-safety report #${report.id.slice(-8)} against ${h}.\n/mod report #${report.id.slice(-8)}`);
    await a.command('stop');
    await w.settle();
  });
});
