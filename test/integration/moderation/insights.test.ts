import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeUser } from '../../fakes/fake-transport.js';
import { pair, startModWorld, type ModWorld } from './helpers.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Postgres percentile_cont: linear interpolation between the closest ranks. */
function percentile(values: readonly number[], p: number): number {
  const v = [...values].sort((a, b) => a - b);
  const pos = p * (v.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return v[lo]! + (v[hi]! - v[lo]!) * (pos - lo);
}

const day = (d: Date) => d.toISOString().slice(0, 10);

describe('feedback, user and stats show what the data says', () => {
  let w: ModWorld;
  /** Noon UTC today on the core's clock, so "today" and "the last hour" are unambiguous. */
  let T: Date;
  const ids: Record<string, string> = {};
  const handles: Record<string, string> = {};

  beforeAll(async () => {
    w = await startModWorld();
    const wall = new Date();
    T = new Date(Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate(), 12));
    w.clock.offsetMs = T.getTime() - Date.now();
    const db = w.t.app.prisma;
    for (const name of ['A', 'B', 'C', 'D', 'E']) {
      const u = await db.user.create({ data: { platform: 'telegram', externalId: `ins-${name}`, handle: `u_00000${name.toLowerCase()}` } });
      ids[name] = u.id;
      handles[name] = u.handle;
    }
    const at = (ms: number) => new Date(T.getTime() - ms);
    const session = (id: string, a: string, b: string, start: number, end: number | null, waits?: [number, number]) =>
      db.session.create({
        data: {
          id,
          userAId: ids[a]!,
          userBId: ids[b]!,
          startedAt: at(start),
          endedAt: end === null ? null : at(end),
          endReason: end === null ? null : 'stop',
          ...(waits ? { waitedMsA: waits[0], waitedMsB: waits[1] } : {}),
        },
      });
    await session('session_00000000f0', 'A', 'B', 8 * DAY, 8 * DAY - 10 * MIN, [50, 50]);
    await session('session_00000000f1', 'A', 'C', 2 * DAY, 2 * DAY - 10 * MIN, [60, 60]);
    await session('session_00000000a2', 'A', 'B', 20 * MIN, 15 * MIN, [200, 400]);
    await session('session_00000000a3', 'B', 'C', 10 * MIN, 5 * MIN, [100, 300]);
    await session('session_00000000a4', 'B', 'C', 2 * HOUR, 2 * HOUR - 5 * MIN, [5000, 7000]);
    await session('session_00000000a5', 'D', 'E', DAY, null);
    await session('session_00000000a6', 'D', 'E', 13 * HOUR, 11 * HOUR);
    const rate = (sessionId: string, who: string, rating: number, ago: number, comment: string | null = null) =>
      db.feedback.create({ data: { sessionId, userId: ids[who]!, rating, comment, createdAt: at(ago) } });
    await rate('session_00000000f0', 'A', 2, 8 * DAY);
    await rate('session_00000000f1', 'C', 1, 2 * DAY, 'rude and pushy');
    await rate('session_00000000a2', 'B', 5, 10 * MIN);
    await rate('session_00000000a2', 'A', 3, 9 * MIN, 'fine');
    await db.report.create({ data: { sessionId: 'session_00000000f1', reporterId: ids.C!, reportedId: ids.A!, category: 'spam', snapshot: [] } });
  });
  afterAll(async () => {
    await w.t.stop();
  });

  it('/mod stats counts searching, chatting, matches, sessions, time to match, ratings and open reports', async () => {
    const l1 = w.fake.user('live-1');
    const l2 = w.fake.user('live-2');
    const s: FakeUser = w.fake.user('live-3');
    await pair(l1, l2);
    await s.command('find');
    await w.settle();
    const live = await w.t.app.prisma.session.findFirstOrThrow({ where: { endedAt: null, userAId: { notIn: [ids.D!] } } });
    const waits = [200, 400, 100, 300, live.waitedMsA ?? 0, live.waitedMsB ?? 0];

    await w.mod.command('mod', 'stats');
    await w.settle();
    const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    expect(w.mod.texts().at(-1)).toBe(
      [
        `EchoSoul at ${day(T)} 12:00 UTC`,
        'Now: 1 searching · 2 chatting',
        'Today (UTC): 4 matches · 6 sessions',
        `Time to match, last hour: median ${fmt(percentile(waits, 0.5))} · p95 ${fmt(percentile(waits, 0.95))} (6 waits)`,
        'Average rating: today 4.00 (2) · last 7 days 3.00 (3)',
        'Open reports: 1 · suspended users: 0',
      ].join('\n'),
    );
    await s.command('stop');
    await l1.command('stop');
    await w.settle();
  });

  it('/mod feedback lists lowest first or newest first, with the average per day', async () => {
    await w.mod.command('mod', 'feedback low');
    await w.mod.command('mod', 'feedback');
    await w.settle();
    const [low, recent] = w.mod.texts().slice(-2) as [string, string];
    const { A, B, C } = handles;
    expect(low.split('\n').slice(0, 6)).toEqual([
      'Feedback, lowest first (last 7 days) — page 1 of 1, 3 ratings',
      `★☆☆☆☆ 1 · 2d ago · ${C} about ${A} · session_00000000f1`,
      '   “rude and pushy”',
      `★★★☆☆ 3 · 9m ago · ${A} about ${B} · session_00000000a2`,
      '   “fine”',
      `★★★★★ 5 · 10m ago · ${B} about ${A} · session_00000000a2`,
    ]);
    const days = Array.from({ length: 7 }, (_, i) => day(new Date(T.getTime() - (6 - i) * DAY)));
    expect(low.split('\n').slice(-8)).toEqual([
      'Average rating per day (UTC), last 7 days:',
      ...days.map((d, i) => (i === 4 ? `${d}  1.00 (1)` : i === 6 ? `${d}  4.00 (2)` : `${d}  —`)),
    ]);
    expect(recent.split('\n')[0]).toBe('Feedback, newest first — page 1 of 1, 4 ratings');
    expect(recent.match(/^★.*$/gm)?.map((l) => l.split(' · ')[0])).toEqual(['★★★☆☆ 3', '★★★★★ 5', '★☆☆☆☆ 1', '★★☆☆☆ 2']);
  });

  it('/mod user shows sessions, rating received, reports, bans and moderator actions', async () => {
    const { A } = handles;
    await w.mod.command('mod', `warn ${A} please be kind`);
    await w.mod.command('mod', `ban ${A} 2h spam again`);
    await w.mod.command('mod', `user ${A}`);
    await w.settle();
    const modHandle = await w.handle(w.mod);
    const lines = (w.mod.texts().at(-1) ?? '').split('\n');
    const until = new Date(T.getTime() + 2 * HOUR).toISOString().slice(0, 16).replace('T', ' ');
    expect(lines[0]).toBe(`User ${A}`);
    expect(lines[1]).toBe(`State: offline, banned until ${until} UTC`);
    expect(lines.slice(3, 7)).toEqual([
      'Sessions: 3',
      'Average rating received: 3.00 (2 ratings)',
      'Reports against: 1 (0 open) · reports made: 0',
      'Bans:',
    ]);
    expect(lines[7]).toBe(`  ${day(T)} 12:00 UTC → ${until} UTC · active · by ${modHandle} · spam again`);
    expect(lines[8]).toBe('Moderator actions:');
    expect(lines[9]).toMatch(new RegExp(` · ban · by ${modHandle} · spam again$`));
    expect(lines[10]).toMatch(new RegExp(` · warn · by ${modHandle} · please be kind$`));
    // Never a platform id.
    expect(lines.join('\n')).not.toContain('ins-A');

    await w.mod.command('mod', 'user u_ffffff');
    await w.mod.command('mod', 'user');
    await w.settle();
    expect(w.mod.texts().slice(-2)).toEqual(['No user u_ffffff.', 'Usage: /mod user <handle>']);
  });
});
