import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTransport } from '../../fakes/fake-transport.js';
import { button, MOD_ID, noticeOf, pair, startModWorld, UNKNOWN_MOD, type ModWorld } from './helpers.js';

const SUBCOMMANDS = [
  '',
  'help',
  'reports',
  'reports all 2',
  'report #12345678',
  'ban u_000000 24h x',
  'unban u_000000',
  'warn u_000000 hello',
  'feedback low',
  'user u_000000',
  'stats',
  'nonsense',
];

describe('who may use moderator commands', () => {
  let w: ModWorld;
  const discord = new FakeTransport('discord');
  beforeAll(async () => {
    w = await startModWorld({}, () => [discord]);
  });
  afterAll(async () => {
    await w.t.stop();
  });

  it('gives a non-moderator the unknown-command reply for every /mod form, and changes nothing', async () => {
    const u = w.fake.user('7001');
    await u.command('modx');
    for (const args of SUBCOMMANDS) await u.command('mod', args);
    await u.command('MOD', 'stats');
    await w.settle();
    const [unknownOther, ...replies] = u.texts();
    expect(unknownOther).toBe("I don't know /modx. Send /help to see what I can do.");
    expect(replies).toEqual(Array.from({ length: SUBCOMMANDS.length + 1 }, () => UNKNOWN_MOD));
    expect(u.received().every((r) => r.outbound.kind === 'notice' && !r.outbound.buttons)).toBe(true);
  });

  it('does not take the same id on another platform for the moderator', async () => {
    const impostor = discord.user(MOD_ID);
    await impostor.command('mod', 'stats');
    await w.settle();
    expect(impostor.texts()).toEqual([UNKNOWN_MOD]);
  });

  it('treats moderator buttons pressed by anyone else as expired, and acts on none of them', async () => {
    const a = w.fake.user('7101');
    const b = w.fake.user('7102');
    await pair(a, b);
    await a.command('report', 'spam links everywhere');
    await a.command('stop');
    await w.settle();
    const report = await w.t.app.prisma.report.findFirstOrThrow();
    expect(report.category).toBe('spam');
    expect(report.comment).toBe('links everywhere');

    // The moderator sees the buttons; a user replays them.
    await w.mod.command('mod', `report #${report.id.slice(-8)}`);
    await w.settle();
    const view = noticeOf(w.mod, /^Report #/);
    const mallory = w.fake.user('7103');
    for (const prefix of ['mod:ban:perm:', 'mod:ban:24h:', 'mod:warn:', 'mod:dismiss:', 'mod:open:']) {
      await mallory.press(prefix === 'mod:open:' ? `mod:open:${report.id}` : button(view, prefix));
    }
    await mallory.press('mod:page:reports:all:1');
    await w.settle();
    expect(new Set(mallory.texts())).toEqual(new Set(['That button has expired. Send /help to see what I can do.']));
    expect(mallory.texts()).toHaveLength(6);
    expect((await w.t.app.prisma.report.findUniqueOrThrow({ where: { id: report.id } })).status).toBe('open');
    expect(await w.t.app.prisma.ban.count()).toBe(0);
    expect(await w.t.app.prisma.moderatorAction.count()).toBe(0);
    expect(b.texts().some((t) => /moderators/.test(t))).toBe(false);
  });

  it('answers the moderator, with help for /mod alone and for an unknown subcommand', async () => {
    await w.mod.command('mod');
    await w.mod.command('mod', 'dance');
    await w.settle();
    const [help, unknown] = w.mod.texts().slice(-2);
    expect(help).toMatch(/^Moderator commands:\n\/mod reports/);
    expect(unknown).toMatch(/^There is no \/mod dance\.\n\nModerator commands:/);
  });
});
