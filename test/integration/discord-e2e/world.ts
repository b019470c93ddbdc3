import { expect } from 'vitest';
import { DiscordTransport } from '../../../src/bots/discord/index.js';
import { TelegramTransport } from '../../../src/bots/telegram/index.js';
import type { Transport } from '../../../src/core/index.js';
import {
  FakeDiscord,
  type FakeGuild,
  type FakeInteraction,
  type RecordedRequest,
  type UserMessage,
  type WireMessage,
  type WireUser,
} from '../../fakes/discord/index.js';
import { FakeTelegramBotApi, type Json, type RecordedCall } from '../../fakes/telegram-bot-api.js';
import { silentLog } from '../../support/log.js';
import { startTestApp, type TestApp } from '../../support/app.js';

/** The smallest valid PNG. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

export const CONNECTED = /connected to a stranger/i;

/**
 * The whole service (startTestApp: own database and Redis prefix) with the real
 * DiscordTransport pointed at a local fake Discord, and optionally the real
 * TelegramTransport on a local fake Bot API, wired the way main.ts wires them.
 */
export interface E2EWorld {
  readonly t: TestApp;
  readonly discord: FakeDiscord;
  readonly guild: FakeGuild;
  readonly telegram: FakeTelegramBotApi | undefined;
  settle(): Promise<void>;
  stop(): Promise<void>;
}

export async function startE2EWorld(options: { telegram?: boolean } = {}): Promise<E2EWorld> {
  const discord = await FakeDiscord.start({ guilds: ['Lounge'], heartbeatIntervalMs: 1000 });
  const telegram = options.telegram ? await FakeTelegramBotApi.start() : undefined;
  const guild = discord.guilds[0];
  if (!guild) throw new Error('the fake Discord has no guild');
  let t: TestApp;
  try {
    t = await startTestApp(() => {
      const transports: Transport[] = [];
      let tg: TelegramTransport | undefined;
      if (telegram) {
        tg = new TelegramTransport({
          token: telegram.token,
          apiRoot: telegram.apiRoot,
          log: silentLog,
          pollTimeoutS: 1,
          albumWindowMs: 100,
          handlerRetryDelaysMs: [10],
        });
        transports.push(tg);
      }
      transports.push(
        new DiscordTransport({
          token: discord.token,
          applicationId: discord.applicationId,
          apiRoot: discord.apiRoot,
          cdnRoot: discord.cdnRoot,
          log: silentLog,
          // As main.ts: Telegram file handles carry no url, so their bytes come through the Telegram adapter.
          ...(tg ? { fileFetcher: tg.fetchFile } : {}),
        }),
      );
      return transports;
    });
  } catch (err) {
    await discord.close();
    await telegram?.close();
    throw err;
  }
  return {
    t,
    discord,
    guild,
    telegram,
    settle: () => t.app.settle(),
    async stop() {
      await t.stop();
      await discord.close();
      await telegram?.close();
    },
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const bodyOf = (request: RecordedRequest): Record<string, unknown> =>
  typeof request.json === 'object' && request.json !== null ? (request.json as Record<string, unknown>) : {};

interface ButtonJson {
  readonly label?: string;
  readonly custom_id?: string;
}

/** Every button on a message, in order. */
export function buttonsOf(message: WireMessage): ButtonJson[] {
  return (message.components as { components?: ButtonJson[] }[]).flatMap((row) => row.components ?? []);
}

/** A Discord user talking to the bot, seen through the fake Discord. */
export class DiscordPerson {
  constructor(
    readonly fake: FakeDiscord,
    readonly user: WireUser,
  ) {}

  get id(): string {
    return this.user.id;
  }

  get dm(): string {
    return this.fake.dmChannelOf(this.user);
  }

  /** What the bot has shown this user in their DM, oldest first. */
  botMessages(): WireMessage[] {
    return this.fake.messagesIn(this.dm).filter((m) => m.author.id === this.fake.applicationId);
  }

  texts(): string[] {
    return this.botMessages().map((m) => m.content);
  }

  waitForBotMessage(predicate: (m: WireMessage) => boolean, timeoutMs = 5000): Promise<WireMessage> {
    return this.fake.waitFor(() => this.botMessages().find(predicate), timeoutMs);
  }

  waitForText(re: RegExp, timeoutMs = 5000): Promise<WireMessage> {
    return this.waitForBotMessage((m) => re.test(m.content), timeoutMs);
  }

  /** The n-th (0-based) bot message matching `re`, once it exists. */
  waitForNth(re: RegExp, n: number, timeoutMs = 5000): Promise<WireMessage> {
    return this.fake.waitFor(() => this.botMessages().filter((m) => re.test(m.content))[n], timeoutMs);
  }

  say(spec: UserMessage | string): WireMessage {
    return this.fake.userSends(this.user, typeof spec === 'string' ? { content: spec } : spec);
  }

  slash(name: string, options: Readonly<Record<string, string>> = {}, guild?: FakeGuild): FakeInteraction {
    return this.fake.slashCommand(this.user, name, options, guild);
  }

  /** Presses the button labelled `label` on one of the bot's messages in this DM. */
  press(message: WireMessage, label: string | RegExp): FakeInteraction {
    const button = buttonsOf(message).find((b) => (typeof label === 'string' ? b.label === label : label.test(b.label ?? '')));
    if (!button?.custom_id) throw new Error(`no button ${String(label)} on "${message.content}"`);
    return this.fake.clickButton(this.user, message.id, button.custom_id);
  }

}

/** Waits until the interaction got its first callback (a reply, a deferral or a modal). */
export async function firstCallback(fake: FakeDiscord, interaction: FakeInteraction): Promise<{ type: number; data: unknown }> {
  return fake.waitFor(() => interaction.callbacks[0], 5000);
}

/**
 * Every REST call the bot made that is addressed to this Discord user: anything in their DM
 * channel, the callbacks and webhook calls of their interactions, and opening their DM.
 */
export function discordRequestsTo(fake: FakeDiscord, user: WireUser, after = 0): RecordedRequest[] {
  const dm = fake.state.dmChannelIdOf(user.id);
  const ownerOf = (path: string): string | undefined => {
    const callback = /^\/interactions\/(\d+)\/[^/]+\/callback$/.exec(path);
    if (callback) return fake.state.interactions.get(callback[1] ?? '')?.userId;
    const webhook = /^\/webhooks\/\d+\/([^/]+)/.exec(path);
    if (webhook) return fake.state.interactionByToken(webhook[1] ?? '')?.userId;
    return undefined;
  };
  return fake.requests.filter((r) => {
    if (r.seq <= after) return false;
    if (dm !== undefined && r.path.split('/').includes(dm)) return true;
    if (r.path === '/users/@me/channels') return bodyOf(r).recipient_id === user.id;
    return ownerOf(r.path) === user.id;
  });
}

/** What a request shows: path, query, body and file names (file bytes are not text). */
const visibleDiscord = (r: RecordedRequest): string => JSON.stringify([r.path, r.query, r.json, r.files.map((f) => f.name)]);

/**
 * Asserts that nothing the bot sent to `recipient` on Discord, nor anything shown in their DM,
 * contains any of `secrets` (the other person's ids, usernames and names), and that every
 * message the bot wrote to them carries allowed_mentions {parse: []}.
 */
export function expectDiscordClean(fake: FakeDiscord, recipient: WireUser, secrets: readonly string[]): number {
  const requests = discordRequestsTo(fake, recipient);
  expect(requests.length).toBeGreaterThan(0);
  // Every message the bot wrote to them, relayed or its own, pings nobody.
  for (const { request, body } of contentBodies(requests)) {
    expect(body.allowed_mentions, `${request.method} ${request.path}`).toEqual({ parse: [] });
  }
  for (const r of requests) {
    const visible = visibleDiscord(r);
    for (const secret of secrets) expect(visible, `${r.method} ${r.path} leaks ${secret}`).not.toContain(secret);
  }
  const dm = fake.state.dmChannelIdOf(recipient.id);
  for (const m of dm === undefined ? [] : fake.messagesIn(dm)) {
    if (m.author.id === recipient.id) continue;
    const shown = JSON.stringify(m);
    for (const secret of secrets) expect(shown, `message ${m.id} shows ${secret}`).not.toContain(secret);
  }
  return requests.length;
}

/** Bot API parameters as text, with uploads reduced to their name, type and size. */
function visibleTelegram(params: Json): string {
  return JSON.stringify(params, (_key, value: unknown) => {
    if (typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'upload') {
      const upload = value as { fileName: string; mimeType: string; bytes: Buffer };
      return { upload: upload.fileName, mimeType: upload.mimeType, size: upload.bytes.length };
    }
    return value;
  });
}

/**
 * Asserts that no Bot API call addressed to `chatId` contains any of `secrets`. The one
 * exception is copyMessage(s)'s from_chat_id, the API's pointer to where the original lives
 * (never shown to the recipient): `sourceChats` lists the values it may take.
 */
export function expectTelegramClean(
  fake: FakeTelegramBotApi,
  chatId: number,
  secrets: readonly string[],
  sourceChats: readonly string[] = [],
): RecordedCall[] {
  const calls = fake.calls({ chatId });
  expect(calls.length).toBeGreaterThan(0);
  for (const c of calls) {
    const params = { ...c.params };
    if (c.method === 'copyMessage' || c.method === 'copyMessages') {
      expect(sourceChats, `${c.method} copies from an unexpected chat`).toContain(String(params.from_chat_id));
      delete params.from_chat_id;
    }
    const visible = visibleTelegram(params);
    for (const secret of secrets) expect(visible, `${c.method} leaks ${secret}`).not.toContain(secret);
  }
  expect(fake.calls({ method: 'forwardMessage' })).toHaveLength(0);
  // What the recipient sees in the chat: bot messages without forward headers.
  for (const m of fake.messages(chatId)) {
    if ((m.from as Json | undefined)?.id !== fake.bot.id) continue;
    expect(m).not.toHaveProperty('forward_origin');
    const shown = JSON.stringify({ ...m, chat: undefined });
    for (const secret of secrets) expect(shown, `message ${String(m.message_id)} shows ${secret}`).not.toContain(secret);
  }
  return calls;
}

/** Whether a body (or a callback's data) carries text, and so must say who may be mentioned. */
export function contentBodies(requests: readonly RecordedRequest[]): { request: RecordedRequest; body: Record<string, unknown> }[] {
  const out: { request: RecordedRequest; body: Record<string, unknown> }[] = [];
  for (const request of requests) {
    const body = bodyOf(request);
    const data = /\/callback$/.test(request.path) && typeof body.data === 'object' && body.data !== null ? (body.data as Record<string, unknown>) : body;
    if (typeof data.content === 'string') out.push({ request, body: data });
  }
  return out;
}
