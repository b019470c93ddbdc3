import { expect } from 'vitest';
import type { AppSettings } from '../../../src/app.js';
import { TelegramTransport } from '../../../src/bots/telegram/index.js';
import { texts } from '../../../src/core/index.js';
import { FakeTelegramBotApi } from '../../fakes/telegram-bot-api.js';
import type { Json, RecordedCall, SimulatedUser, TgProfile } from '../../fakes/telegram-bot-api.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { silentLog } from '../../support/log.js';

/*
 * The whole service (Postgres, Redis, matcher, relay, jobs) with a real TelegramTransport
 * long-polling a local fake Bot API. Simulated users cause updates; assertions read the Bot
 * API calls the bot made and the messages as each user's chat shows them.
 */

/** Generous: the CI box is small and shared; waits return as soon as the condition holds. */
export const WAIT_MS = 15_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `probe` returns something other than undefined/false. */
export async function waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

export const CONNECTED = /connected to a stranger/;

/** Something a simulated user caused: an update id to wait for. */
type Caused = { readonly updateId: number } | { readonly update_id: number };
const idOf = (c: Caused): number => ('updateId' in c ? c.updateId : c.update_id);

export interface TelegramWorld {
  readonly fake: FakeTelegramBotApi;
  readonly transport: TelegramTransport;
  readonly t: TestApp;
  /** Every pair that chatted in this file, for the anonymity sweep. */
  readonly pairs: [SimulatedUser, SimulatedUser][];
  /** A simulated person with distinctive names (so a leak cannot hide in a coincidence). */
  person(id: number, first: string, last: string, username: string): SimulatedUser;
  /** Waits until the bot confirmed these updates to Telegram (i.e. the core handled them), then until delivery is idle. */
  processed(...caused: Caused[]): Promise<void>;
  /** Both /find and wait until each is told they are connected. */
  pair(a: SimulatedUser, b: SimulatedUser): Promise<void>;
  /** The first successful sendMessage to `user` whose text matches, made after call number `since`. */
  told(user: SimulatedUser, re: RegExp, since?: number): Promise<RecordedCall>;
  /** Successful Bot API calls to this chat, of one method. */
  callsTo(user: SimulatedUser | number, method: string): RecordedCall[];
  /** Messages the bot put into the user's chat, oldest first, as the user sees them. */
  botMessages(user: SimulatedUser): Json[];
  /** The bot's latest message in the user's chat with an inline button whose label matches. */
  button(user: SimulatedUser, textRe: RegExp, label: RegExp): { messageId: number; data: string };
  userRow(user: SimulatedUser): Promise<{ id: string; status: string }>;
  stop(): Promise<void>;
}

export async function startTelegramWorld(overrides: Partial<AppSettings> = {}): Promise<TelegramWorld> {
  const fake = await FakeTelegramBotApi.start();
  const transport = new TelegramTransport({
    token: fake.token,
    apiRoot: fake.apiRoot,
    log: silentLog,
    pollTimeoutS: 1,
    albumWindowMs: 150,
    handlerRetryDelaysMs: [10],
  });
  let t: TestApp;
  try {
    t = await startTestApp(() => [transport], overrides);
  } catch (e) {
    await fake.close();
    throw e;
  }
  const pairs: [SimulatedUser, SimulatedUser][] = [];

  const callsTo = (user: SimulatedUser | number, method: string): RecordedCall[] => {
    const chatId = typeof user === 'number' ? user : user.id;
    return fake.calls((c) => c.chatId === chatId && c.method === method && c.response.ok);
  };

  const botMessages = (user: SimulatedUser): Json[] =>
    fake.messages(user.id).filter((m) => (m.from as Json | undefined)?.id === fake.bot.id);

  const told = async (user: SimulatedUser, re: RegExp, since = 0): Promise<RecordedCall> =>
    waitFor(
      () =>
        fake
          .calls()
          .slice(since)
          .find((c) => c.method === 'sendMessage' && c.chatId === user.id && c.response.ok && re.test(String(c.params.text))),
      `a sendMessage to ${user.id} matching ${re}`,
    );

  const world: TelegramWorld = {
    fake,
    transport,
    t,
    pairs,
    person: (id, first, last, username) => fake.user({ id, first_name: first, last_name: last, username } satisfies TgProfile),
    async processed(...caused) {
      const ids = caused.map(idOf);
      await waitFor(
        () => ids.every((id) => !fake.pendingUpdates.some((u) => u.update_id === id)),
        `updates ${ids.join(', ')} to be confirmed`,
      );
      await t.app.settle();
    },
    async pair(a, b) {
      const since = fake.calls().length;
      const finds = [a.command('find'), b.command('find')];
      await world.processed(...finds);
      await Promise.all([told(a, CONNECTED, since), told(b, CONNECTED, since)]);
      await t.app.settle();
      pairs.push([a, b]);
    },
    told,
    callsTo,
    botMessages,
    button(user, textRe, label) {
      for (const m of botMessages(user).reverse()) {
        if (typeof m.text !== 'string' || !textRe.test(m.text)) continue;
        const rows = ((m.reply_markup as Json | undefined)?.inline_keyboard ?? []) as { text: string; callback_data: string }[][];
        const hit = rows.flat().find((b) => label.test(b.text));
        if (hit !== undefined) return { messageId: Number(m.message_id), data: hit.callback_data };
      }
      throw new Error(`no bot message in chat ${user.id} matching ${textRe} with a button ${label}`);
    },
    async userRow(user) {
      return t.app.prisma.user.findFirstOrThrow({
        where: { platform: 'telegram', externalId: String(user.id) },
        select: { id: true, status: true },
      });
    },
    async stop() {
      try {
        await t.stop();
      } finally {
        await fake.close();
      }
    },
  };
  return world;
}

const COPY_METHODS = new Set(['copyMessage', 'copyMessages']);

/**
 * Nothing the bot sent to `to` (any Bot API call addressed to its chat) and nothing `to` sees in
 * its chat carries `from`'s id, username, first or last name. The one exception is the
 * from_chat_id of copyMessage(s): the API's pointer at where the original lives, which Telegram
 * does not show to the recipient; asserted to be exactly that and nothing else.
 */
export function expectNothingIdentifies(world: TelegramWorld, from: SimulatedUser, to: SimulatedUser): void {
  const p = from.profile;
  const secrets = [String(p.id), p.username, p.first_name, p.last_name].filter((s): s is string => s !== undefined && s !== '');
  const calls = world.fake.calls({ chatId: to.id });
  expect(calls.length).toBeGreaterThan(0);
  for (const c of calls) {
    const shown: Json = { ...c.params };
    if (COPY_METHODS.has(c.method)) {
      // `to` only ever chatted with `from` in these tests, so every copy points at from's chat.
      expect(c.params.from_chat_id, `${c.method} source pointer`).toBe(String(from.id));
      delete shown.from_chat_id;
    } else {
      expect(c.params, `${c.method} has a source pointer`).not.toHaveProperty('from_chat_id');
    }
    const payload = JSON.stringify(shown);
    for (const s of secrets) expect(payload, `${c.method} to ${to.id} contains ${s}`).not.toContain(s);
  }
  for (const m of world.fake.messages(to.id)) {
    expect(m, 'a forwarded message').not.toHaveProperty('forward_origin');
    expect(m, 'a forwarded message').not.toHaveProperty('forward_from');
    const seen = JSON.stringify({ ...m, chat: undefined });
    for (const s of secrets) expect(seen, `${to.id} sees ${s}`).not.toContain(s);
  }
  expect(world.fake.calls((c) => c.method.startsWith('forward'))).toHaveLength(0);
}

export function expectAnonymousBothWays(world: TelegramWorld, a: SimulatedUser, b: SimulatedUser): void {
  expectNothingIdentifies(world, a, b);
  expectNothingIdentifies(world, b, a);
}

export const RATE_PROMPT = new RegExp(texts.RATE_PROMPT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
