import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { discordError, FailureRules, rateLimited, serverError, type FailureSpec } from './failures.js';
import { FakeGateway } from './gateway.js';
import { parseBody, readBody, sendEmpty, sendJson } from './http-io.js';
import * as build from './payloads.js';
import { restRoutes, type RouteResult } from './rest-routes.js';
import { FakeState, MessageFlag } from './state.js';
import type { FakeGuild, FakeInteraction, RecordedRequest, WireMessage, WireUser } from './wire.js';

type Route = ReturnType<typeof restRoutes>[number];

export interface FakeDiscordOptions {
  readonly token?: string;
  readonly applicationId?: string;
  readonly botUsername?: string;
  /** Servers the bot is in; each gets a GUILD_CREATE after READY. */
  readonly guilds?: readonly string[];
  readonly heartbeatIntervalMs?: number;
  readonly uploadLimitBytes?: number;
  /** Dispatch the bot's own messages back over the gateway, as Discord does. Default true. */
  readonly echoBotMessages?: boolean;
}

export interface FakeUpload {
  readonly fileName: string;
  readonly contentType?: string;
  readonly data: Buffer;
}

export interface UserMessage {
  readonly content?: string;
  readonly attachments?: readonly FakeUpload[];
  /** Marks the message a voice message (flag 8192). */
  readonly voice?: boolean;
  readonly sticker?: { readonly name: string; readonly format: 'png' | 'gif' | 'lottie' };
  /** Id of the message this one replies to. */
  readonly replyTo?: string;
  readonly poll?: { readonly question: string; readonly answers: readonly string[] };
}

const STICKER_FORMAT = { png: 1, lottie: 3, gif: 4 } as const;
/** The smallest valid PNG, served for sticker images. */
const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * A local Discord for tests: REST under http://127.0.0.1:PORT/api/v10, the gateway at
 * ws://127.0.0.1:PORT/gateway (returned by GET /gateway/bot), attachment bytes under /cdn.
 * It records every REST call, injects failures on request, and lets a test act as users.
 */
export class FakeDiscord {
  readonly token: string;
  readonly applicationId: string;
  readonly state: FakeState;
  readonly gateway: FakeGateway;
  readonly requests: RecordedRequest[] = [];
  readonly failures = new FailureRules();
  readonly uploadLimitBytes: number;
  private readonly server: Server;
  private port = 0;
  private seq = 0;
  private readonly routes: readonly Route[];

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const fake = new FakeDiscord(options);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  private constructor(options: FakeDiscordOptions) {
    this.token = options.token ?? `fake.${randomBytes(12).toString('base64url')}`;
    this.applicationId = options.applicationId ?? '1100000000000000001';
    this.uploadLimitBytes = options.uploadLimitBytes ?? 10 * 1024 * 1024;
    this.state = new FakeState(
      this.applicationId,
      options.botUsername ?? 'EchoSoul',
      () => this.cdnRoot,
      (event, data) => this.gateway.dispatch(event, data),
      options.echoBotMessages ?? true,
    );
    for (const name of options.guilds ?? []) this.state.addGuild(name);
    this.gateway = new FakeGateway({
      token: this.token,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      url: () => this.gatewayUrl,
      readyPayload: (sessionId) => ({
        v: 10,
        user: { ...this.state.bot, verified: true, mfa_enabled: false, flags: 0 },
        guilds: this.state.guilds.map((g) => ({ id: g.id, unavailable: true })),
        session_id: sessionId,
        session_type: 'normal',
        resume_gateway_url: this.gatewayUrl,
        shard: [0, 1],
        application: { id: this.applicationId, flags: 0 },
        private_channels: [],
        relationships: [],
        presences: [],
        geo_ordered_rtc_regions: [],
        guild_join_requests: [],
        _trace: ['["fake-gateway",{"micros":0}]'],
      }),
      guildCreates: () => this.state.guilds.map((g) => build.guildCreate(g, this.state.bot)),
    });
    this.routes = restRoutes({ state: this.state, gatewayUrl: () => this.gatewayUrl, uploadLimitBytes: this.uploadLimitBytes });
    this.server = createServer((req, res) => void this.onHttp(req, res));
    this.gateway.attach(this.server);
  }

  /** For the client's `rest.api` (discord.js appends /v10). */
  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get cdnRoot(): string {
    return `http://127.0.0.1:${this.port}/cdn`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  get guilds(): readonly FakeGuild[] {
    return this.state.guilds;
  }

  get commands(): readonly Record<string, unknown>[] {
    return this.state.commands;
  }

  async close(): Promise<void> {
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- acting as users ----

  addUser(username: string, globalName: string | null = null): WireUser {
    return this.state.addUser(username, globalName);
  }

  /** The user's DM channel with the bot (opened if needed). */
  dmChannelOf(user: WireUser): string {
    return this.state.openDm(user.id).id;
  }

  setGuildRoles(guildId: string, user: WireUser, roles: readonly string[]): void {
    this.state.setRoles(guildId, user.id, roles);
  }

  /** A user writes to the bot in their DM: stored and dispatched as MESSAGE_CREATE. */
  userSends(from: WireUser, spec: UserMessage): WireMessage {
    const channelId = this.dmChannelOf(from);
    const attachments = (spec.attachments ?? []).map((upload) =>
      this.state.storeFile(channelId, upload.fileName, upload.data, upload.contentType ?? 'application/octet-stream'),
    );
    if (spec.voice) for (const attachment of attachments) Object.assign(attachment, { duration_secs: 2.5, waveform: 'AAAA' });
    let stickerItems: WireMessage['sticker_items'];
    if (spec.sticker) {
      const id = this.state.ids.next();
      const format = STICKER_FORMAT[spec.sticker.format];
      if (spec.sticker.format !== 'lottie') this.state.storeSticker(id, spec.sticker.format, PNG_1X1, `image/${spec.sticker.format}`);
      stickerItems = [{ id, name: spec.sticker.name, format_type: format }];
    }
    const replied = spec.replyTo === undefined ? undefined : this.state.messages.get(spec.replyTo);
    const created = build.message({
      id: this.state.ids.next(),
      channel_id: channelId,
      author: from,
      content: spec.content ?? '',
      attachments,
      flags: spec.voice ? MessageFlag.VoiceMessage : 0,
      mention_everyone: false,
      ...(stickerItems && { sticker_items: stickerItems }),
      ...(spec.replyTo !== undefined && {
        type: 19,
        message_reference: { type: 0, message_id: spec.replyTo, channel_id: channelId },
        referenced_message: replied ?? null,
      }),
      ...(spec.poll && {
        poll: {
          question: { text: spec.poll.question },
          answers: spec.poll.answers.map((text, index) => ({ answer_id: index + 1, poll_media: { text } })),
          expiry: new Date(Date.now() + 86_400_000).toISOString(),
          allow_multiselect: false,
          layout_type: 1,
        },
      }),
    });
    this.state.messages.set(created.id, created);
    this.gateway.dispatch('MESSAGE_CREATE', created);
    return created;
  }

  userEdits(from: WireUser, messageId: string, content: string): WireMessage {
    const target = this.state.messages.get(messageId);
    if (!target || target.author.id !== from.id) throw new Error('users edit only their own messages');
    target.content = content;
    target.edited_timestamp = new Date().toISOString();
    this.gateway.dispatch('MESSAGE_UPDATE', target);
    return target;
  }

  /** Discord adding a link preview: MESSAGE_UPDATE without a new edited_timestamp. */
  previewArrives(messageId: string): void {
    const target = this.state.messages.get(messageId);
    if (!target) throw new Error('unknown message');
    target.embeds = [{ type: 'link', url: 'https://example.com/', title: 'Example' }];
    this.gateway.dispatch('MESSAGE_UPDATE', target);
  }

  userDeletes(from: WireUser, messageId: string): void {
    const target = this.state.messages.get(messageId);
    if (!target || target.author.id !== from.id) throw new Error('users delete only their own messages');
    this.state.deleteMessage(target);
  }

  /** A slash command, in the bot DM or (with `guild`) in a server channel. */
  slashCommand(from: WireUser, name: string, options: Readonly<Record<string, string>> = {}, guild?: FakeGuild): FakeInteraction {
    const command = this.state.commands.find((c) => c.name === name);
    const entries = Object.entries(options);
    const data = {
      id: typeof command?.id === 'string' ? command.id : this.state.ids.next(),
      name,
      type: 1,
      ...(entries.length > 0 && { options: entries.map(([optionName, value]) => ({ name: optionName, type: 3, value })) }),
    };
    return this.interact(from, 2, data, guild ? { channelId: guild.channelId, guild } : { channelId: this.dmChannelOf(from) });
  }

  /**
   * A slash command with a subcommand, as Discord sends `/mod reports filter:open page:2`:
   * the subcommand is the one option (type 1) and carries the values; numbers go as integer
   * options (type 4), everything else as strings.
   */
  slashSubcommand(
    from: WireUser,
    name: string,
    subcommand: string,
    options: Readonly<Record<string, string | number>> = {},
    guild?: FakeGuild,
  ): FakeInteraction {
    const command = this.state.commands.find((c) => c.name === name);
    const entries = Object.entries(options);
    const data = {
      id: typeof command?.id === 'string' ? command.id : this.state.ids.next(),
      name,
      type: 1,
      options: [
        {
          name: subcommand,
          type: 1,
          ...(entries.length > 0 && {
            options: entries.map(([optionName, value]) => ({ name: optionName, type: typeof value === 'number' ? 4 : 3, value })),
          }),
        },
      ],
    };
    return this.interact(from, 2, data, guild ? { channelId: guild.channelId, guild } : { channelId: this.dmChannelOf(from) });
  }

  clickButton(from: WireUser, messageId: string, customId: string): FakeInteraction {
    const target = this.state.messages.get(messageId);
    if (!target) throw new Error('unknown message');
    return this.interact(from, 3, { custom_id: customId, component_type: 2 }, { channelId: target.channel_id }, target);
  }

  submitModal(from: WireUser, customId: string, text: string, fromMessageId?: string): FakeInteraction {
    const target = fromMessageId === undefined ? undefined : this.state.messages.get(fromMessageId);
    const data = {
      custom_id: customId,
      components: [{ type: 18, id: 1, component: { type: 4, id: 2, custom_id: 'text', value: text } }],
    };
    return this.interact(from, 5, data, { channelId: this.dmChannelOf(from) }, target);
  }

  // ---- inspecting ----

  messagesIn(channelId: string): WireMessage[] {
    return this.state.messagesIn(channelId);
  }

  message(id: string): WireMessage | undefined {
    return this.state.messages.get(id);
  }

  /** A position in the request log, for waiting on what happens after it. */
  mark(): number {
    return this.seq;
  }

  requestsMatching(method: string, path: RegExp, after = 0): RecordedRequest[] {
    return this.requests.filter((r) => r.seq > after && r.method === method && path.test(r.path));
  }

  async waitForRequest(method: string, path: RegExp, options: { after?: number; timeoutMs?: number } = {}): Promise<RecordedRequest> {
    return this.waitFor(() => this.requestsMatching(method, path, options.after ?? 0).find((r) => r.status !== 0), options.timeoutMs);
  }

  /** Polls until `probe` returns a value. */
  async waitFor<T>(probe: () => T | undefined | false, timeoutMs = 3000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > deadline) throw new Error('FakeDiscord.waitFor timed out');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  // ---- failures ----

  /** Fails the next `times` matching calls with a Discord error code or a custom response. */
  failNext(method: string, path: RegExp, failure: number | FailureSpec, times = 1): void {
    this.failures.add(method, path, typeof failure === 'number' ? discordError(failure) : failure, times);
  }

  /** Every message create into this user's DM fails with `code` (50007: DMs closed or bot blocked). */
  failSendsTo(user: WireUser, code: number): void {
    this.failures.add('POST', new RegExp(`^/channels/${this.dmChannelOf(user)}/messages$`), discordError(code));
  }

  rateLimitNext(method: string, path: RegExp, retryAfterSeconds: number): void {
    this.failures.add(method, path, rateLimited(retryAfterSeconds), 1);
  }

  serverErrorNext(method: string, path: RegExp, times: number, status = 502): void {
    this.failures.add(method, path, serverError(status), times);
  }

  clearFailures(): void {
    this.failures.clear();
  }

  // ---- HTTP ----

  private interact(
    from: WireUser,
    type: number,
    data: unknown,
    place: build.InteractionPlace,
    message?: WireMessage,
  ): FakeInteraction {
    const record: FakeInteraction = {
      id: this.state.ids.next(),
      token: `aW50ZXJhY3Rpb24.${randomBytes(24).toString('base64url')}`,
      type,
      userId: from.id,
      channelId: place.channelId,
      ...(place.guild && { guildId: place.guild.id }),
      ...(message && { messageId: message.id }),
      acknowledged: false,
      callbacks: [],
      ephemeral: false,
    };
    this.state.interactions.set(record.id, record);
    this.gateway.dispatch(
      'INTERACTION_CREATE',
      build.interaction({
        id: record.id,
        applicationId: this.applicationId,
        token: record.token,
        type,
        data,
        from,
        place,
        uploadLimitBytes: this.uploadLimitBytes,
        ...(message && { message }),
      }),
    );
    return record;
  }

  private async onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname.startsWith('/cdn/')) {
      // Stored under the percent-encoded path the attachment url carries.
      const file = this.state.cdn.get(url.pathname.slice('/cdn/'.length));
      if (!file) return sendJson(res, 404, { message: '404: Not Found', code: 0 });
      res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.data.byteLength });
      res.end(file.data);
      return;
    }
    if (!url.pathname.startsWith('/api/v10/')) return sendJson(res, 404, { message: '404: Not Found', code: 0 });

    const method = req.method ?? 'GET';
    // discord.js percent-encodes path segments (`%40original`); Discord routes on the decoded path.
    const path = url.pathname
      .slice('/api/v10'.length)
      .split('/')
      .map((segment) => decodeURIComponent(segment))
      .join('/');
    let parsed;
    try {
      parsed = await parseBody(req.headers['content-type'], await readBody(req));
    } catch {
      return sendJson(res, 400, { message: 'The request body contains invalid JSON.', code: 50109 });
    }
    const recorded: RecordedRequest = {
      seq: ++this.seq,
      method,
      path,
      query: Object.fromEntries(url.searchParams.entries()),
      authorized: req.headers.authorization === `Bot ${this.token}`,
      json: parsed.json,
      files: parsed.files,
      status: 0,
    };
    this.requests.push(recorded);

    let result: RouteResult;
    const match = this.route(method, path);
    if (!match) result = { status: 404, body: { message: '404: Not Found', code: 0 } };
    else if (match.route.auth && !recorded.authorized) result = { status: 401, body: { message: '401: Unauthorized', code: 0 } };
    else {
      const injected = this.failures.take(method, path);
      try {
        result =
          injected ?? (await match.route.handle({ params: match.params, query: url.searchParams, json: parsed.json, files: parsed.files }));
      } catch (error) {
        console.error('FakeDiscord route failed', error);
        result = serverError(500);
      }
    }
    recorded.status = result.status;
    if (result.status === 204 || result.body === undefined) sendEmpty(res, result.status);
    else sendJson(res, result.status, result.body, result.headers ?? {});
  }

  private route(method: string, path: string): { route: Route; params: string[] } | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const found = route.pattern.exec(path);
      if (found) return { route, params: found.slice(1) };
    }
    return undefined;
  }
}
