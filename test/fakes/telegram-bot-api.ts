import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ApiError, badRequest, telegramErrors } from './telegram/api-error.js';
import type { FakeApiError } from './telegram/api-error.js';
import { isUpload, readRequestParams } from './telegram/request-params.js';
import type { UploadedFile } from './telegram/request-params.js';
import { SimulatedGroup, SimulatedUser } from './telegram/simulated-user.js';
import type { FakeWorld, FileKind, Json, TgProfile } from './telegram/simulated-user.js';

export { telegramErrors } from './telegram/api-error.js';
export type { FakeApiError } from './telegram/api-error.js';
export { SimulatedGroup, SimulatedUser } from './telegram/simulated-user.js';
export type { Sent, TgProfile, Json } from './telegram/simulated-user.js';

/** One Bot API request as the fake received it. */
export interface RecordedCall {
  readonly method: string;
  /** Parameters after decoding (JSON fields of a multipart body parsed, uploads as UploadedFile). */
  readonly params: Json;
  /** params.chat_id as a number, when the call targets a chat. */
  readonly chatId: number | undefined;
  readonly encoding: 'none' | 'json' | 'multipart' | 'urlencoded';
  readonly at: number;
  response: { ok: boolean; result?: unknown; error?: FakeApiError };
}

export interface WebhookDelivery {
  readonly updateId: number;
  readonly status: number;
}

interface StoredFile {
  readonly file_id: string;
  readonly file_unique_id: string;
  readonly file_path: string;
  readonly bytes: Buffer;
  readonly mime_type?: string;
  readonly file_name?: string;
}

interface FailureRule {
  readonly chatId: number | '*';
  readonly method: string | undefined;
  readonly error: FakeApiError;
  remaining: number;
}

interface WebhookConfig {
  readonly url: string;
  readonly secretToken: string | undefined;
  readonly allowedUpdates: readonly string[] | undefined;
}

type Handler = (params: Json, uploads: ReadonlyMap<string, UploadedFile>, req: IncomingMessage) => unknown;

const FILE_PREFIX: Readonly<Record<FileKind, string>> = {
  photo: 'AgACAgIAAxkBAA',
  video: 'BAACAgIAAxkBAA',
  animation: 'CgACAgIAAxkBAA',
  voice: 'AwACAgIAAxkBAA',
  audio: 'CQACAgIAAxkBAA',
  video_note: 'DQACAgIAAxkBAA',
  sticker: 'CAACAgIAAxkBAA',
  document: 'BQACAgIAAxkBAA',
};
const FILE_EXT: Readonly<Record<FileKind, string>> = {
  photo: 'jpg',
  video: 'mp4',
  animation: 'mp4',
  voice: 'oga',
  audio: 'mp3',
  video_note: 'mp4',
  sticker: 'webp',
  document: 'pdf',
};

/** Message fields that are content, i.e. what copyMessage carries over. */
const CONTENT_KEYS = [
  'text',
  'entities',
  'link_preview_options',
  'caption',
  'caption_entities',
  'has_media_spoiler',
  'photo',
  'video',
  'animation',
  'document',
  'voice',
  'audio',
  'video_note',
  'sticker',
  'location',
  'venue',
  'contact',
  'poll',
  'dice',
];
const NOT_COPYABLE = ['invoice', 'successful_payment', 'giveaway', 'giveaway_winners', 'paid_media'];

const UPDATE_KINDS = ['message', 'edited_message', 'callback_query', 'my_chat_member', 'channel_post', 'chat_member'];
/** What Telegram sends when allowed_updates was never set or set to []. */
const DEFAULT_ALLOWED = UPDATE_KINDS.filter((k) => k !== 'chat_member');

const unix = (): number => Math.floor(Date.now() / 1000);
const asNumber = (v: unknown): number | undefined =>
  typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : undefined;
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? (v as unknown[]) : []);
/** chat_id of a BotCommandScopeChat, so calls with a chat scope are recorded and failed per chat. */
const scopeChatId = (scope: unknown): number | undefined =>
  typeof scope === 'object' && scope !== null ? asNumber((scope as Json).chat_id) : undefined;
const updateKind = (u: Json): string => UPDATE_KINDS.find((k) => k in u) ?? 'unknown';

/**
 * A local Telegram Bot API: the methods the bot calls under /bot<token>/<method>, with
 * Telegram's response shapes and error wording, per-chat message ids, stored messages (so
 * copies can be inspected as the recipient would see them), files under /file/bot<token>/,
 * long polling and webhook delivery, failure injection, and a record of every call.
 */
export class FakeTelegramBotApi implements FakeWorld {
  readonly bot: Json;
  private readonly recorded: RecordedCall[] = [];
  private readonly callWaiters = new Set<() => void>();
  private readonly chats = new Map<number, Json>();
  private readonly messagesByChat = new Map<number, Map<number, Json>>();
  private readonly nextMessageIds = new Map<number, number>();
  private readonly files = new Map<string, StoredFile>();
  private readonly filesByPath = new Map<string, StoredFile>();
  private readonly failures: FailureRule[] = [];
  private readonly openQueries = new Set<string>();
  private readonly queue: (Json & { update_id: number })[] = [];
  private readonly updateWaiters = new Set<() => void>();
  private readonly deliveries: WebhookDelivery[] = [];
  private readonly handlers: Map<string, Handler>;
  private readonly sockets = new Set<Socket>();
  private allowedUpdates: readonly string[] = DEFAULT_ALLOWED;
  private webhookConfig: WebhookConfig | undefined;
  private delivering = false;
  private terminateActivePoll: (() => void) | undefined;
  private nextUpdate = 700_000_000;
  private fileCounter = 0;
  private commands: unknown[] = [];
  /** setMyCommands with a BotCommandScopeChat, by chat id. */
  private readonly chatCommands = new Map<number, unknown[]>();
  private closed = false;

  private constructor(
    private readonly server: Server,
    readonly token: string,
    readonly apiRoot: string,
    bot: TgProfile,
  ) {
    this.bot = { id: bot.id, is_bot: true, first_name: bot.first_name, username: bot.username };
    this.handlers = this.methodTable();
  }

  static async start(options: { token?: string; bot?: TgProfile } = {}): Promise<FakeTelegramBotApi> {
    const token = options.token ?? `${7_000_000_000 + Math.floor(Math.random() * 1e9)}:AAH${randomBytes(24).toString('base64url')}`;
    const bot = options.bot ?? { id: Number(token.split(':')[0]), first_name: 'EchoSoul', username: 'EchoSoulTestBot' };
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const fake = new FakeTelegramBotApi(server, token, `http://127.0.0.1:${port}`, bot);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void fake.onRequest(req, res));
    server.on('connection', (socket) => {
      fake.sockets.add(socket);
      socket.on('close', () => fake.sockets.delete(socket));
    });
    return fake;
  }

  get botUsername(): string {
    return String(this.bot.username);
  }

  // ---- simulated people --------------------------------------------------------------

  user(profile: TgProfile): SimulatedUser {
    return new SimulatedUser(this, profile);
  }

  group(id: number, title: string, type: 'group' | 'supergroup' = 'supergroup'): SimulatedGroup {
    return new SimulatedGroup(this, id, title, type);
  }

  // ---- FakeWorld ----------------------------------------------------------------------

  registerChat(chat: Json): void {
    const id = asNumber(chat.id);
    if (id !== undefined) this.chats.set(id, chat);
  }

  allocateMessageId(chatId: number): number {
    const next = this.nextMessageIds.get(chatId) ?? 1;
    this.nextMessageIds.set(chatId, next + 1);
    return next;
  }

  storeMessage(message: Json): void {
    const chatId = asNumber((message.chat as Json | undefined)?.id);
    const messageId = asNumber(message.message_id);
    if (chatId === undefined || messageId === undefined) throw new Error('message without chat.id or message_id');
    let chat = this.messagesByChat.get(chatId);
    if (chat === undefined) this.messagesByChat.set(chatId, (chat = new Map<number, Json>()));
    chat.set(messageId, message);
  }

  findMessage(chatId: number, messageId: number): Json | undefined {
    return this.messagesByChat.get(chatId)?.get(messageId);
  }

  createFile(kind: FileKind, options: { bytes?: Buffer; mimeType?: string; fileName?: string } = {}): Json {
    const n = ++this.fileCounter;
    const stored: StoredFile = {
      file_id: `${FILE_PREFIX[kind]}${n.toString(36)}${randomBytes(12).toString('base64url')}`,
      file_unique_id: `AQAD${randomBytes(6).toString('base64url')}`,
      file_path: `${kind === 'photo' ? 'photos' : `${kind}s`}/file_${n}.${FILE_EXT[kind]}`,
      bytes: options.bytes ?? Buffer.from(`fake ${kind} #${n}`),
      ...(options.mimeType !== undefined ? { mime_type: options.mimeType } : {}),
      ...(options.fileName !== undefined ? { file_name: options.fileName } : {}),
    };
    this.files.set(stored.file_id, stored);
    this.filesByPath.set(stored.file_path, stored);
    return this.fileJson(stored);
  }

  pushUpdate(update: Json): Json & { update_id: number } {
    const full = { ...update, update_id: asNumber(update.update_id) ?? this.nextUpdate++ };
    if (full.update_id >= this.nextUpdate) this.nextUpdate = full.update_id + 1;
    this.queue.push(full);
    for (const wake of this.updateWaiters) wake();
    void this.deliverWebhooks();
    return full;
  }

  /** Every later call (of `method`, if given) to this chat fails with `error`, until cleared. */
  failAlways(chatId: number | '*', error: FakeApiError): void;
  failAlways(chatId: number | '*', method: string, error: FakeApiError): void;
  failAlways(chatId: number | '*', methodOrError: string | FakeApiError, error?: FakeApiError): void {
    this.addFailure(chatId, methodOrError, error, Infinity);
  }

  /** The next call (of `method`, if given) to this chat fails with `error`. */
  failNext(chatId: number | '*', error: FakeApiError): void;
  failNext(chatId: number | '*', method: string, error: FakeApiError): void;
  failNext(chatId: number | '*', methodOrError: string | FakeApiError, error?: FakeApiError): void {
    this.addFailure(chatId, methodOrError, error, 1);
  }

  private addFailure(
    chatId: number | '*',
    methodOrError: string | FakeApiError,
    error: FakeApiError | undefined,
    times: number,
  ): void {
    if (typeof methodOrError === 'string') {
      if (error === undefined) throw new Error('failNext/failAlways: an error is required');
      this.failures.push({ chatId, method: methodOrError, error, remaining: times });
    } else {
      this.failures.push({ chatId, method: undefined, error: methodOrError, remaining: times });
    }
  }

  clearFailures(chatId?: number | '*'): void {
    for (let i = this.failures.length - 1; i >= 0; i--) {
      if (chatId === undefined || this.failures[i]?.chatId === chatId) this.failures.splice(i, 1);
    }
  }

  newCallbackQueryId(): string {
    const id = `${BigInt.asUintN(63, randomBytes(8).readBigUInt64BE())}`;
    this.openQueries.add(id);
    return id;
  }

  // ---- inspection ---------------------------------------------------------------------

  calls(filter: { method?: string; chatId?: number } | ((c: RecordedCall) => boolean) = {}): RecordedCall[] {
    const match =
      typeof filter === 'function'
        ? filter
        : (c: RecordedCall) =>
            (filter.method === undefined || c.method === filter.method) &&
            (filter.chatId === undefined || c.chatId === filter.chatId);
    return this.recorded.filter(match);
  }

  /** Resolves with the first finished call (already made or future) that matches. */
  async waitForCall(predicate: (c: RecordedCall) => boolean, timeoutMs = 3_000): Promise<RecordedCall> {
    const found = this.recorded.find(predicate);
    if (found !== undefined) return found;
    return new Promise<RecordedCall>((resolve, reject) => {
      const check = (): void => {
        const hit = this.recorded.find(predicate);
        if (hit === undefined) return;
        cleanup();
        resolve(hit);
      };
      const timer = setTimeout(() => {
        cleanup();
        const seen = this.recorded.map((c) => c.method).join(', ');
        reject(new Error(`no matching Bot API call within ${timeoutMs} ms; calls so far: ${seen}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.callWaiters.delete(check);
      };
      this.callWaiters.add(check);
    });
  }

  waitForMethod(method: string, chatId?: number, timeoutMs?: number): Promise<RecordedCall> {
    return this.waitForCall((c) => c.method === method && (chatId === undefined || c.chatId === chatId), timeoutMs);
  }

  /** The messages in a chat, oldest first, as that chat's member sees them. */
  messages(chatId: number): Json[] {
    return [...(this.messagesByChat.get(chatId)?.values() ?? [])].sort(
      (a, b) => Number(a.message_id) - Number(b.message_id),
    );
  }

  fileBytes(fileId: string): Buffer | undefined {
    return this.files.get(fileId)?.bytes;
  }

  /** Makes a file downloadable at an arbitrary URL path, to stand in for another platform's CDN. */
  fileUrl(fileId: string): string {
    const f = this.files.get(fileId);
    if (f === undefined) throw new Error(`no file ${fileId}`);
    return `${this.apiRoot}/cdn/${f.file_path}`;
  }

  get webhook(): WebhookConfig | undefined {
    return this.webhookConfig;
  }

  get webhookDeliveries(): readonly WebhookDelivery[] {
    return this.deliveries;
  }

  /** The menu of the default scope (setMyCommands without a scope, or with `{ type: 'default' }`). */
  get myCommands(): readonly unknown[] {
    return this.commands;
  }

  /** The menu set for one chat with a BotCommandScopeChat; undefined when none was set. */
  chatCommandsOf(chatId: number): readonly unknown[] | undefined {
    return this.chatCommands.get(chatId);
  }

  /** Updates not yet confirmed by a getUpdates offset (or delivered to the webhook). */
  get pendingUpdates(): readonly Json[] {
    return this.queue;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.updateWaiters) wake();
    this.server.closeAllConnections();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- HTTP ---------------------------------------------------------------------------

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.apiRoot);
    const file = /^\/(?:file\/bot([^/]+)|cdn)\/(.+)$/.exec(url.pathname);
    if (file !== null) return this.serveFile(res, file[1], decodeURIComponent(file[2] ?? ''));
    const route = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (route === null) return this.json(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    if (route[1] !== this.token) return this.json(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const requested = route[2] ?? '';
    const method = [...this.handlers.keys()].find((m) => m.toLowerCase() === requested.toLowerCase()) ?? requested;
    let parsed;
    try {
      parsed = await readRequestParams(req, url);
    } catch {
      return this.json(res, 400, { ok: false, error_code: 400, description: 'Bad Request: invalid request body' });
    }
    const call: RecordedCall = {
      method,
      params: parsed.params,
      chatId: asNumber(parsed.params.chat_id) ?? scopeChatId(parsed.params.scope),
      encoding: parsed.encoding,
      at: Date.now(),
      response: { ok: true },
    };
    try {
      const injected = this.takeFailure(call);
      if (injected !== undefined) throw new ApiError(injected);
      const handler = this.handlers.get(method);
      if (handler === undefined) throw new ApiError({ error_code: 404, description: 'Not Found: method not found' });
      const result = await handler(parsed.params, parsed.uploads, req);
      call.response = { ok: true, result };
      this.json(res, 200, { ok: true, result });
    } catch (e) {
      const body: FakeApiError =
        e instanceof ApiError ? e.body : { error_code: 500, description: `Internal Server Error: ${String(e)}` };
      call.response = { ok: false, error: body };
      const status = body.status ?? body.error_code;
      if (status >= 500) {
        // Telegram's front proxy answers 5xx with an HTML page, not the JSON envelope.
        res.writeHead(status, { 'content-type': 'text/html' }).end(`<html><body>${status}</body></html>`);
      } else {
        this.json(res, status, {
          ok: false,
          error_code: body.error_code,
          description: body.description,
          ...(body.parameters !== undefined ? { parameters: body.parameters } : {}),
        });
      }
    }
    this.recorded.push(call);
    for (const check of [...this.callWaiters]) check();
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    if (res.writableEnded) return;
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  private serveFile(res: ServerResponse, token: string | undefined, path: string): void {
    if (token !== undefined && token !== this.token) {
      this.json(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
      return;
    }
    const f = this.filesByPath.get(path);
    if (f === undefined) {
      this.json(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    res
      .writeHead(200, { 'content-type': f.mime_type ?? 'application/octet-stream', 'content-length': f.bytes.length })
      .end(f.bytes);
  }

  private takeFailure(call: RecordedCall): FakeApiError | undefined {
    const rule = this.failures.find(
      (r) =>
        r.remaining > 0 &&
        (r.chatId === '*' || r.chatId === call.chatId) &&
        (r.method === undefined || r.method === call.method),
    );
    if (rule === undefined) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.failures.splice(this.failures.indexOf(rule), 1);
    return rule.error;
  }

  // ---- helpers for methods ------------------------------------------------------------

  private fileJson(f: StoredFile): Json {
    return {
      file_id: f.file_id,
      file_unique_id: f.file_unique_id,
      file_size: f.bytes.length,
      ...(f.mime_type !== undefined ? { mime_type: f.mime_type } : {}),
      ...(f.file_name !== undefined ? { file_name: f.file_name } : {}),
    };
  }

  private chat(chatIdParam: unknown, field = 'chat_id'): Json {
    const id = asNumber(chatIdParam);
    if (id === undefined) throw badRequest(`${field} is empty`);
    const chat = this.chats.get(id);
    if (chat === undefined) throw new ApiError(telegramErrors.chatNotFound());
    return chat;
  }

  /**
   * A command scope: undefined for the default one, the chat id for BotCommandScopeChat (a
   * chat the bot does not know is "chat not found", as on Telegram when the user never opened
   * the bot). Other scopes are not modelled.
   */
  private commandScope(scope: unknown): number | undefined {
    if (scope === undefined) return undefined;
    if (typeof scope !== 'object' || scope === null) throw badRequest("can't parse BotCommandScope JSON object");
    const s = scope as Json;
    if (s.type === 'default') return undefined;
    if (s.type !== 'chat') throw badRequest(`scope type ${String(s.type)} is not supported by the fake`);
    return Number(this.chat(s.chat_id).id);
  }

  private replyTarget(chatId: number, params: Json): Json | undefined {
    const rp = params.reply_parameters as Json | undefined;
    const messageId = asNumber(rp?.message_id);
    if (rp === undefined || messageId === undefined) return undefined;
    const target = this.findMessage(chatId, messageId);
    if (target === undefined && rp.allow_sending_without_reply !== true) throw badRequest('message to be replied not found');
    return target;
  }

  /** Stores and returns a new message from the bot in the target chat. */
  private botMessage(params: Json, content: Json): Json {
    const chat = this.chat(params.chat_id);
    const chatId = Number(chat.id);
    const replied = this.replyTarget(chatId, params);
    const markup = params.reply_markup as Json | undefined;
    const message: Json = {
      message_id: this.allocateMessageId(chatId),
      from: this.bot,
      chat,
      date: unix(),
      ...content,
      ...(replied !== undefined ? { reply_to_message: replied } : {}),
      // Only inline keyboards are part of the returned Message.
      ...(markup?.inline_keyboard !== undefined ? { reply_markup: markup } : {}),
    };
    this.storeMessage(message);
    return message;
  }

  private inputFile(value: unknown, uploads: ReadonlyMap<string, UploadedFile>, kind: FileKind): Json {
    let upload: UploadedFile | undefined;
    if (isUpload(value)) upload = value;
    else if (typeof value === 'string' && value.startsWith('attach://')) upload = uploads.get(value.slice('attach://'.length));
    if (upload !== undefined) {
      return this.createFile(kind, { bytes: upload.bytes, mimeType: upload.mimeType || 'application/octet-stream', fileName: upload.fileName });
    }
    if (typeof value === 'string' && /^https?:\/\//.test(value)) return this.createFile(kind, { bytes: Buffer.from(value) });
    if (typeof value === 'string' && value !== '') {
      const existing = this.files.get(value);
      if (existing === undefined) throw badRequest('wrong file identifier/HTTP URL specified');
      return this.fileJson(existing);
    }
    throw badRequest(`there is no ${kind} in the request`);
  }

  private mediaContent(kind: FileKind, file: Json, params: Json): Json {
    const caption =
      typeof params.caption === 'string' && params.caption !== ''
        ? { caption: params.caption, ...(Array.isArray(params.caption_entities) ? { caption_entities: params.caption_entities } : {}) }
        : {};
    switch (kind) {
      case 'photo': {
        const thumb = this.createFile('photo');
        return { photo: [{ ...thumb, width: 90, height: 68 }, { ...file, width: 1280, height: 960 }], ...caption };
      }
      case 'video':
        return { video: { ...file, width: 640, height: 360, duration: 5 }, ...caption };
      case 'animation':
        return { animation: { ...file, width: 320, height: 240, duration: 2 }, document: file, ...caption };
      case 'voice':
        return { voice: { ...file, duration: 3 }, ...caption };
      case 'audio':
        return { audio: { ...file, duration: 180 }, ...caption };
      case 'video_note':
        return { video_note: { ...file, length: 240, duration: 4 } };
      case 'sticker':
        return { sticker: { ...file, type: 'regular', width: 512, height: 512, is_animated: false, is_video: false } };
      case 'document':
        return { document: file, ...caption };
    }
  }

  private sendMedia(kind: FileKind): Handler {
    return (params, uploads) => this.botMessage(params, this.mediaContent(kind, this.inputFile(params[kind], uploads, kind), params));
  }

  private copyContent(source: Json): Json {
    if (NOT_COPYABLE.some((k) => k in source) || !CONTENT_KEYS.some((k) => k in source)) {
      throw badRequest("the message can't be copied");
    }
    const content: Json = {};
    for (const k of CONTENT_KEYS) if (k in source) content[k] = source[k];
    if (content.poll !== undefined) content.poll = { ...(content.poll as Json), id: String(Date.now()) };
    return content;
  }

  private textOrThrow(params: Json, field = 'text'): string {
    const text = params[field];
    if (typeof text !== 'string' || text === '') throw badRequest('message text is empty');
    if (text.length > 4096) throw badRequest('message is too long');
    return text;
  }

  private editable(params: Json): Json {
    const chat = this.chat(params.chat_id);
    const messageId = asNumber(params.message_id);
    const message = messageId !== undefined ? this.findMessage(Number(chat.id), messageId) : undefined;
    if (message === undefined) throw badRequest('message to edit not found');
    if ((message.from as Json | undefined)?.id !== this.bot.id) throw badRequest("message can't be edited");
    return message;
  }

  private filterAllowed(): (Json & { update_id: number })[] {
    return this.queue.filter((u) => this.allowedUpdates.includes(updateKind(u)));
  }

  private async deliverWebhooks(): Promise<void> {
    if (this.delivering) return;
    this.delivering = true;
    try {
      let attempts = 0;
      while (!this.closed && this.webhookConfig !== undefined && this.queue.length > 0) {
        const config = this.webhookConfig;
        const update = this.queue[0];
        if (update === undefined) break;
        if (config.allowedUpdates !== undefined && config.allowedUpdates.length > 0 && !config.allowedUpdates.includes(updateKind(update))) {
          this.queue.shift();
          continue;
        }
        const status = await fetch(config.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(config.secretToken !== undefined ? { 'x-telegram-bot-api-secret-token': config.secretToken } : {}),
          },
          body: JSON.stringify(update),
        })
          .then(async (r) => {
            await r.arrayBuffer();
            return r.status;
          })
          .catch(() => 0);
        this.deliveries.push({ updateId: update.update_id, status });
        if ((status >= 200 && status < 300) || ++attempts >= 5) {
          this.queue.shift();
          attempts = 0;
        } else {
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    } finally {
      this.delivering = false;
    }
  }

  // ---- methods --------------------------------------------------------------------------

  private methodTable(): Map<string, Handler> {
    const t = new Map<string, Handler>();
    t.set('getMe', () => ({
      ...this.bot,
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
    }));
    t.set('setMyCommands', (p) => {
      const commands = asArray(p.commands);
      for (const c of commands) {
        const cmd = c as Json;
        if (typeof cmd.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(cmd.command)) throw badRequest('BOT_COMMAND_INVALID');
        if (typeof cmd.description !== 'string' || cmd.description.length < 1 || cmd.description.length > 256) {
          throw badRequest('command description is empty');
        }
      }
      const chatId = this.commandScope(p.scope);
      if (chatId === undefined) this.commands = commands;
      else this.chatCommands.set(chatId, commands);
      return true;
    });
    t.set('deleteMyCommands', (p) => {
      const chatId = this.commandScope(p.scope);
      if (chatId === undefined) this.commands = [];
      else this.chatCommands.delete(chatId);
      return true;
    });
    t.set('getMyCommands', (p) => {
      const chatId = this.commandScope(p.scope);
      return chatId === undefined ? this.commands : (this.chatCommands.get(chatId) ?? []);
    });
    t.set('deleteWebhook', (p) => {
      this.webhookConfig = undefined;
      if (p.drop_pending_updates === true) this.queue.length = 0;
      return true;
    });
    t.set('setWebhook', (p) => {
      if (typeof p.url !== 'string' || p.url === '') {
        this.webhookConfig = undefined;
        return true;
      }
      if (p.secret_token !== undefined && (typeof p.secret_token !== 'string' || !/^[A-Za-z0-9_-]{1,256}$/.test(p.secret_token))) {
        throw badRequest('secret token contains unallowed characters');
      }
      const allowed = Array.isArray(p.allowed_updates) ? p.allowed_updates.map(String) : undefined;
      this.webhookConfig = {
        url: p.url,
        secretToken: typeof p.secret_token === 'string' ? p.secret_token : undefined,
        allowedUpdates: allowed,
      };
      if (allowed !== undefined) this.allowedUpdates = allowed.length > 0 ? allowed : DEFAULT_ALLOWED;
      if (p.drop_pending_updates === true) this.queue.length = 0;
      void this.deliverWebhooks();
      return true;
    });
    t.set('getWebhookInfo', () => ({
      url: this.webhookConfig?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: this.queue.length,
      ...(this.webhookConfig?.allowedUpdates !== undefined ? { allowed_updates: this.webhookConfig.allowedUpdates } : {}),
    }));
    t.set('getUpdates', (p, _u, req) => this.getUpdates(p, req));
    t.set('sendMessage', (p) => {
      const text = this.textOrThrow(p);
      return this.botMessage(p, {
        text,
        ...(Array.isArray(p.entities) && p.entities.length > 0 ? { entities: p.entities } : {}),
      });
    });
    t.set('copyMessage', (p) => {
      const from = this.chat(p.from_chat_id, 'from_chat_id');
      const messageId = asNumber(p.message_id);
      const source = messageId !== undefined ? this.findMessage(Number(from.id), messageId) : undefined;
      if (source === undefined) throw badRequest('message to copy not found');
      const copy = this.botMessage(p, this.copyContent(source));
      return { message_id: copy.message_id };
    });
    t.set('copyMessages', (p) => {
      const from = this.chat(p.from_chat_id, 'from_chat_id');
      this.chat(p.chat_id);
      const ids = asArray(p.message_ids).map(asNumber);
      if (ids.length === 0 || ids.length > 100 || ids.some((id) => id === undefined)) throw badRequest('message identifiers are invalid');
      for (let i = 1; i < ids.length; i++) {
        if ((ids[i] as number) <= (ids[i - 1] as number)) throw badRequest('message identifiers must be in strictly increasing order');
      }
      const groups = new Map<string, string>();
      const result: Json[] = [];
      for (const id of ids as number[]) {
        const source = this.findMessage(Number(from.id), id);
        if (source === undefined || NOT_COPYABLE.some((k) => k in source)) continue; // skipped, like Telegram
        const content = this.copyContent(source);
        const group = source.media_group_id;
        if (typeof group === 'string') {
          if (!groups.has(group)) groups.set(group, String(Date.now() * 1000 + groups.size));
          content.media_group_id = groups.get(group);
        }
        const copy = this.botMessage({ chat_id: p.chat_id }, content);
        result.push({ message_id: copy.message_id });
      }
      return result;
    });
    t.set('sendPhoto', this.sendMedia('photo'));
    t.set('sendVideo', this.sendMedia('video'));
    t.set('sendAnimation', this.sendMedia('animation'));
    t.set('sendVoice', this.sendMedia('voice'));
    t.set('sendAudio', this.sendMedia('audio'));
    t.set('sendVideoNote', this.sendMedia('video_note'));
    t.set('sendSticker', this.sendMedia('sticker'));
    t.set('sendDocument', this.sendMedia('document'));
    t.set('sendMediaGroup', (p, uploads) => {
      const chat = this.chat(p.chat_id);
      const media = asArray(p.media) as Json[];
      if (media.length < 2 || media.length > 10) throw badRequest('wrong number of media in the album');
      const groupId = String(Date.now() * 1000 + Math.floor(Math.random() * 1000));
      const replied = this.replyTarget(Number(chat.id), p);
      return media.map((item, i) => {
        const type = String(item.type) as FileKind;
        if (!['photo', 'video', 'document', 'audio'].includes(type)) throw badRequest(`unsupported media type ${type} in the album`);
        const file = this.inputFile(item.media, uploads, type);
        return this.botMessage(
          { chat_id: p.chat_id, ...(i === 0 && replied !== undefined ? { reply_parameters: p.reply_parameters } : {}) },
          { ...this.mediaContent(type, file, item), media_group_id: groupId },
        );
      });
    });
    t.set('sendLocation', (p) => {
      const latitude = asNumber(p.latitude) ?? Number(p.latitude);
      const longitude = asNumber(p.longitude) ?? Number(p.longitude);
      if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) throw badRequest('wrong latitude or longitude');
      return this.botMessage(p, { location: { latitude, longitude } });
    });
    t.set('sendContact', (p) => {
      if (typeof p.phone_number !== 'string' || typeof p.first_name !== 'string') throw badRequest('phone number or first name is empty');
      return this.botMessage(p, {
        contact: {
          phone_number: p.phone_number,
          first_name: p.first_name,
          ...(typeof p.last_name === 'string' ? { last_name: p.last_name } : {}),
        },
      });
    });
    t.set('sendPoll', (p) => {
      const options = asArray(p.options).map((o) => (typeof o === 'string' ? o : String((o as Json).text)));
      if (typeof p.question !== 'string' || p.question === '') throw badRequest('poll question must be non-empty');
      if (options.length < 2 || options.length > 12) throw badRequest('poll must have 2-12 options');
      return this.botMessage(p, {
        poll: {
          id: String(Date.now()),
          question: p.question,
          options: options.map((text) => ({ text, voter_count: 0 })),
          total_voter_count: 0,
          is_closed: false,
          is_anonymous: p.is_anonymous !== false,
          type: 'regular',
          allows_multiple_answers: false,
        },
      });
    });
    t.set('editMessageText', (p) => {
      const message = this.editable(p);
      if (typeof message.text !== 'string') throw badRequest('there is no text in the message to edit');
      const text = this.textOrThrow(p);
      const entities = Array.isArray(p.entities) && p.entities.length > 0 ? p.entities : undefined;
      const markup = (p.reply_markup as Json | undefined)?.inline_keyboard !== undefined ? (p.reply_markup as Json) : undefined;
      const same =
        message.text === text &&
        JSON.stringify(message.entities) === JSON.stringify(entities) &&
        JSON.stringify(message.reply_markup) === JSON.stringify(markup);
      if (same) {
        throw badRequest(
          'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
        );
      }
      const edited: Json = { ...message, text, edit_date: unix() };
      delete edited.entities;
      delete edited.reply_markup;
      if (entities !== undefined) edited.entities = entities;
      if (markup !== undefined) edited.reply_markup = markup;
      this.storeMessage(edited);
      return edited;
    });
    t.set('editMessageCaption', (p) => {
      const message = this.editable(p);
      if (!['photo', 'video', 'animation', 'audio', 'document', 'voice'].some((k) => k in message)) {
        throw badRequest('there is no caption in the message to edit');
      }
      const caption = typeof p.caption === 'string' ? p.caption : '';
      const entities = Array.isArray(p.caption_entities) && p.caption_entities.length > 0 ? p.caption_entities : undefined;
      if ((message.caption ?? '') === caption && JSON.stringify(message.caption_entities) === JSON.stringify(entities)) {
        throw badRequest(
          'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
        );
      }
      const edited: Json = { ...message, edit_date: unix() };
      delete edited.caption;
      delete edited.caption_entities;
      if (caption !== '') edited.caption = caption;
      if (entities !== undefined) edited.caption_entities = entities;
      this.storeMessage(edited);
      return edited;
    });
    t.set('deleteMessage', (p) => {
      const chat = this.chat(p.chat_id);
      const messageId = asNumber(p.message_id);
      const messages = this.messagesByChat.get(Number(chat.id));
      if (messageId === undefined || messages?.delete(messageId) !== true) throw badRequest('message to delete not found');
      return true;
    });
    t.set('answerCallbackQuery', (p) => {
      const id = typeof p.callback_query_id === 'string' ? p.callback_query_id : '';
      if (!this.openQueries.delete(id)) {
        throw badRequest('query is too old and response timeout expired or query ID is invalid');
      }
      return true;
    });
    t.set('getFile', (p) => {
      const f = typeof p.file_id === 'string' ? this.files.get(p.file_id) : undefined;
      if (f === undefined) throw badRequest('invalid file_id');
      return { file_id: f.file_id, file_unique_id: f.file_unique_id, file_size: f.bytes.length, file_path: f.file_path };
    });
    t.set('sendChatAction', (p) => {
      this.chat(p.chat_id);
      return true;
    });
    return t;
  }

  private async getUpdates(p: Json, req: IncomingMessage): Promise<unknown> {
    if (this.webhookConfig !== undefined) {
      throw new ApiError({
        error_code: 409,
        description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      });
    }
    this.terminateActivePoll?.();
    const offset = asNumber(p.offset) ?? 0;
    if (offset > 0) {
      while (this.queue.length > 0 && (this.queue[0]?.update_id ?? Infinity) < offset) this.queue.shift();
    }
    if (Array.isArray(p.allowed_updates)) {
      const allowed = p.allowed_updates.map(String);
      this.allowedUpdates = allowed.length > 0 ? allowed : DEFAULT_ALLOWED;
    }
    // Telegram never produces updates of kinds the bot did not ask for.
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const u = this.queue[i];
      if (u !== undefined && !this.allowedUpdates.includes(updateKind(u))) this.queue.splice(i, 1);
    }
    const limit = Math.min(Math.max(asNumber(p.limit) ?? 100, 1), 100);
    const deadline = Date.now() + Math.max(0, Number(p.timeout ?? 0)) * 1000;
    let terminated = false;
    let closed = false;
    const onClose = (): void => {
      closed = true;
    };
    req.socket.once('close', onClose);
    const terminate = (): void => {
      terminated = true;
    };
    this.terminateActivePoll = terminate;
    try {
      for (;;) {
        if (terminated) {
          throw new ApiError({
            error_code: 409,
            description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
          });
        }
        const available = this.filterAllowed();
        const remaining = deadline - Date.now();
        if (available.length > 0 || remaining <= 0 || closed || this.closed) return available.slice(0, limit);
        // Wakes on a pushed update, and at least every 250 ms to notice a closed or replaced poll.
        await new Promise<void>((resolve) => {
          const done = (): void => {
            clearTimeout(timer);
            this.updateWaiters.delete(done);
            resolve();
          };
          const timer = setTimeout(done, Math.min(remaining, 250));
          this.updateWaiters.add(done);
        });
      }
    } finally {
      req.socket.off('close', onClose);
      if (this.terminateActivePoll === terminate) this.terminateActivePoll = undefined;
    }
  }
}
