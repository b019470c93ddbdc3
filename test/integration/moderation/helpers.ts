import type { AppSettings } from '../../../src/app.js';
import type { NoticeOutbound, Transport, UserId } from '../../../src/core/index.js';
import { FakeTransport, type FakeUser } from '../../fakes/fake-transport.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { buttonsOf, lastNotice } from '../chat/helpers.js';

export { buttonsOf, lastNotice, pair, relayedTexts } from '../chat/helpers.js';

/** The Telegram account configured as moderator in these worlds. */
export const MOD_ID = '9000';

export const UNKNOWN_MOD = "I don't know /mod. Send /help to see what I can do.";

export interface ModWorld {
  readonly t: TestApp;
  readonly fake: FakeTransport;
  readonly mod: FakeUser;
  /** The core's clock runs this far ahead of the wall clock. */
  readonly clock: { offsetMs: number };
  settle(): Promise<void>;
  userId(u: FakeUser): Promise<UserId>;
  handle(u: FakeUser): Promise<string>;
  /** Forgets recent partners, so only blocks and reports can keep two people apart. */
  forgetRecentPartners(...users: FakeUser[]): Promise<void>;
}

export async function startModWorld(
  overrides: Partial<AppSettings> = {},
  extra: (fake: FakeTransport) => Transport[] = () => [],
): Promise<ModWorld> {
  const fake = new FakeTransport('telegram');
  const clock = { offsetMs: 0 };
  const t = await startTestApp(() => [fake, ...extra(fake)], {
    moderators: [{ platform: 'telegram', externalId: MOD_ID }],
    now: () => new Date(Date.now() + clock.offsetMs),
    ...overrides,
  });
  const row = async (u: FakeUser) =>
    t.app.prisma.user.findUniqueOrThrow({ where: { platform_externalId: { platform: u.ref.platform, externalId: u.ref.externalId } } });
  return {
    t,
    fake,
    mod: fake.user(MOD_ID),
    clock,
    settle: () => t.app.settle(),
    userId: async (u) => (await row(u)).id,
    handle: async (u) => (await row(u)).handle,
    async forgetRecentPartners(...users) {
      for (const u of users) await t.app.redis.del(`${t.prefix}:mm:recent:${(await row(u)).id}`);
    },
  };
}

/** The last notice matching `re`, or a failure naming what the user did receive. */
export function noticeOf(u: FakeUser, re: RegExp): NoticeOutbound {
  const n = lastNotice(u, re);
  if (!n) throw new Error(`no notice matching ${re} for ${u.ref.externalId}; got:\n${u.texts().join('\n---\n')}`);
  return n;
}

export function button(n: NoticeOutbound, prefix: string): string {
  const b = buttonsOf(n).find((a) => a.startsWith(prefix));
  if (!b) throw new Error(`no button ${prefix}… on "${n.text.slice(0, 60)}"; has ${buttonsOf(n).join(', ')}`);
  return b;
}

/** Texts a user received after the first `from` ones. */
export const textsSince = (u: FakeUser, from: number): string[] => u.texts().slice(from);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
