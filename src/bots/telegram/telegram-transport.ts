import { setTimeout as sleep } from 'node:timers/promises';
import { DeliveryError, UserError } from '../../core/index.js';
import type {
  FileHandle,
  Inbound,
  InboundHandler,
  Log,
  MessageRef,
  Outbound,
  Transport,
  TransportCapabilities,
  UserRef,
} from '../../core/index.js';
import { AlbumBuffer } from './album-buffer.js';
import { BotApi } from './bot-api.js';
import { BOT_COMMANDS, MODERATOR_BOT_COMMANDS } from './bot-commands.js';
import { CallbackData } from './callback-data.js';
import { TELEGRAM_CAPABILITIES } from './capabilities.js';
import { parseCommand } from './command.js';
import { downloadForeignFile, MAX_FOREIGN_FILE_BYTES } from './file-download.js';
import {
  buttonInbound,
  classifyUpdate,
  commandOrMessage,
  editInbound,
  leftInbound,
  messageInbound,
} from './inbound-mapper.js';
import { LruMap } from '../../core/lru-map.js';
import type { TelegramTransportOptions, TelegramWebhookOptions } from './options.js';
import { OutboundSender } from './outbound-sender.js';
import { PendingForms } from './pending-forms.js';
import { describe, Poller } from './polling.js';
import { ALLOWED_UPDATES, updateSchema } from './update-schema.js';
import type { TgCallbackQuery, TgMessage, TgUpdate } from './update-schema.js';
import { EXPIRED_BUTTON_TEXT, groupHintText } from './texts.js';
import { createWebhookHandler } from './webhook.js';
import type { WebhookOutcome } from './webhook.js';

const DEFAULT_API_ROOT = 'https://api.telegram.org';
const SECRET_CHARS = /^[A-Za-z0-9_-]+$/;

type State = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

/** Chat ids are numbers in the Bot API; an id that is not a safe integer is passed as given. */
const chatIdParam = (id: string): number | string => (/^-?\d+$/.test(id) && Number.isSafeInteger(Number(id)) ? Number(id) : id);

function rawUpdateId(raw: unknown): number | undefined {
  if (typeof raw !== 'object' || raw === null || !('update_id' in raw)) return undefined;
  const id = raw.update_id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : undefined;
}

function validateWebhook(w: TelegramWebhookOptions): URL {
  if (!SECRET_CHARS.test(w.secretToken) || w.secretToken.length > 256) {
    throw new Error('telegram webhook: secretToken must be 1-256 characters of A-Z a-z 0-9 _ -');
  }
  if (!SECRET_CHARS.test(w.secretPathToken) || w.secretPathToken.length < 16 || w.secretPathToken.length > 128) {
    throw new Error('telegram webhook: secretPathToken must be 16-128 characters of A-Z a-z 0-9 _ -');
  }
  const url = new URL(w.url);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/telegram/${w.secretPathToken}`;
  url.search = '';
  url.hash = '';
  return url;
}

/**
 * Telegram as a core Transport. Inbound: validated updates become core Inbounds, handed to the
 * core one at a time and awaited, so Telegram is told an update is done (next getUpdates
 * offset, or the webhook's 200) only after the core recorded it. Outbound: see
 * OutboundSender. Platform ids stay inside UserRef/MessageRef; nothing about a sender is
 * written into what the partner receives.
 */
export class TelegramTransport implements Transport {
  readonly platform = 'telegram' as const;
  readonly capabilities: TransportCapabilities = TELEGRAM_CAPABILITIES;

  private readonly log: Log;
  private readonly api: BotApi;
  private readonly sender: OutboundSender;
  private readonly albums: AlbumBuffer;
  private readonly callbackData = new CallbackData();
  private readonly forms = new PendingForms();
  /** Update ids already handled (or being handled): Telegram re-delivers after a lost answer. */
  private readonly seen = new LruMap<number, true>(5_000);
  /** Group chats that were already told to use a private chat. */
  private readonly toldGroups = new LruMap<number, true>(10_000);
  private readonly webhookInFlight = new Set<Promise<WebhookOutcome>>();
  /** Moderator chats whose /mod menu Telegram refused at start (usually: not opened yet). */
  private readonly moderatorMenusPending = new Set<string>();
  private readonly webhookUrl: URL | undefined;
  private readonly retryDelaysMs: readonly number[];
  private readonly requestTimeoutMs: number;
  private handler: InboundHandler | undefined;
  private poller: Poller | undefined;
  private botUsername = '';
  private state: State = 'idle';

  constructor(private readonly o: TelegramTransportOptions) {
    if (o.token === '') throw new Error('telegram: token is required');
    this.log = o.log.child({ platform: 'telegram' });
    this.webhookUrl = o.webhook !== undefined ? validateWebhook(o.webhook) : undefined;
    this.requestTimeoutMs = o.requestTimeoutMs ?? 30_000;
    this.retryDelaysMs = o.handlerRetryDelaysMs ?? [250, 1_000];
    this.api = new BotApi(o.token, o.apiRoot ?? DEFAULT_API_ROOT, this.requestTimeoutMs);
    this.sender = new OutboundSender({
      api: this.api,
      callbackData: this.callbackData,
      forms: this.forms,
      uploadTimeoutMs: o.uploadTimeoutMs ?? 120_000,
      downloadTimeoutMs: o.uploadTimeoutMs ?? 120_000,
      maxForeignFileBytes: o.maxForeignFileBytes ?? MAX_FOREIGN_FILE_BYTES,
      ...(o.fileFetcher !== undefined ? { fileFetcher: o.fileFetcher } : {}),
    });
    this.albums = new AlbumBuffer(o.albumWindowMs ?? 500, async (album) => {
      await this.dispatch(album);
    });
  }

  onInbound(handler: InboundHandler): void {
    this.handler = handler;
  }

  async start(): Promise<void> {
    if (this.state !== 'idle') throw new Error(`telegram: cannot start a transport that is ${this.state}`);
    if (this.handler === undefined) throw new Error('telegram: call onInbound() before start()');
    this.state = 'starting';
    try {
      await this.connect();
    } catch (e) {
      // A failed start (bad token, Telegram unreachable) may be retried by the caller.
      this.state = 'idle';
      throw e;
    }
    this.state = 'running';
    this.poller?.start();
  }

  private async connect(): Promise<void> {
    const me = await this.api.call('getMe', {});
    this.botUsername = me.username;
    try {
      await this.api.call('setMyCommands', { commands: [...BOT_COMMANDS] });
    } catch (e) {
      // The menu is a convenience; commands work without it, so this must not stop the bot.
      this.log.warn({ err: describe(e) }, 'telegram: setMyCommands failed');
    }
    await this.setModeratorMenus();
    const webhook = this.o.webhook;
    if (webhook !== undefined && this.webhookUrl !== undefined) {
      webhook.routes.route(
        'POST',
        this.webhookUrl.pathname,
        createWebhookHandler({
          secretToken: webhook.secretToken,
          log: this.log,
          accepting: () => this.state === 'running',
          process: (raw) => this.trackWebhook(raw),
        }),
      );
      await this.api.call('setWebhook', {
        url: this.webhookUrl.toString(),
        secret_token: webhook.secretToken,
        allowed_updates: [...ALLOWED_UPDATES],
        ...(webhook.maxConnections !== undefined ? { max_connections: webhook.maxConnections } : {}),
      });
    } else {
      // getUpdates is refused while a webhook is set (for example by an earlier deployment).
      await this.api.call('deleteWebhook', { drop_pending_updates: false });
      this.poller = new Poller({
        api: this.api,
        log: this.log,
        timeoutS: this.o.pollTimeoutS ?? 50,
        holdBackPollMs: Math.max(20, Math.floor((this.o.albumWindowMs ?? 500) / 5)),
        handle: async (raw) => {
          await this.handleRaw(raw);
        },
        oldestUnhandled: () => this.albums.oldestUpdateId(),
      });
    }
    this.log.info({ bot: me.username, mode: webhook !== undefined ? 'webhook' : 'polling' }, 'telegram: started');
  }

  /**
   * `/mod` in the command menu of each configured moderator's own chat (BotCommandScopeChat),
   * so it is never advertised to anyone else. Telegram refuses the scope (400 chat not found)
   * until the moderator has opened the bot; such a chat is tried again when its first message
   * arrives. A failure never stops the start. Moderator ids reach the logs at debug level only.
   */
  private async setModeratorMenus(): Promise<void> {
    const ids = [...new Set((this.o.moderatorChatIds ?? []).map((id) => id.trim()).filter((id) => id !== ''))];
    await this.takeBackModeratorMenus(ids);
    if (ids.length === 0) return;
    let failed = 0;
    for (const id of ids) {
      if (!(await this.setModeratorMenu(id))) {
        failed += 1;
        this.moderatorMenusPending.add(id);
      }
    }
    this.log.info({ moderators: ids.length, failed }, 'telegram: moderator command menus set');
  }

  /**
   * A moderator removed from MODERATORS would otherwise keep /mod in their menu (the core
   * refuses it anyway): the chats remembered from the last start that are no longer
   * configured get their chat-scoped menu deleted, so they see the default one again.
   */
  private async takeBackModeratorMenus(ids: readonly string[]): Promise<void> {
    const memory = this.o.moderatorMenuMemory;
    if (memory === undefined) return;
    try {
      const removed = (await memory.previous()).filter((id) => !ids.includes(id));
      for (const id of removed) {
        try {
          await this.api.call('deleteMyCommands', { scope: { type: 'chat', chat_id: chatIdParam(id) } });
        } catch (e) {
          this.log.debug({ chatId: id, err: describe(e) }, 'telegram: deleteMyCommands failed for a former moderator chat');
        }
      }
      if (removed.length > 0) this.log.info({ removed: removed.length }, 'telegram: /mod menu taken back from former moderators');
      await memory.remember(ids);
    } catch (e) {
      this.log.warn({ err: describe(e) }, 'telegram: could not read or store the moderator menu list');
    }
  }

  private async setModeratorMenu(id: string): Promise<boolean> {
    const chatId = chatIdParam(id);
    try {
      await this.api.call('setMyCommands', { commands: [...MODERATOR_BOT_COMMANDS], scope: { type: 'chat', chat_id: chatId } });
      return true;
    } catch (e) {
      this.log.debug({ chatId: id, err: describe(e) }, 'telegram: setMyCommands failed for a moderator chat');
      this.log.warn({ err: describe(e) }, "telegram: could not show /mod in a moderator's command menu (has the moderator opened the bot?)");
      return false;
    }
  }

  /** A moderator whose menu could not be set at start has now opened the chat: try once more, off the inbound path. */
  private retryModeratorMenu(chatId: string): void {
    if (!this.moderatorMenusPending.delete(chatId)) return;
    void this.setModeratorMenu(chatId);
  }

  async stop(): Promise<void> {
    if (this.state !== 'running' && this.state !== 'starting') return;
    this.state = 'stopping';
    if (this.poller !== undefined) {
      await this.poller.stop(() => this.albums.flushAll());
    } else {
      await Promise.allSettled([...this.webhookInFlight]);
      await this.albums.flushAll();
    }
    this.state = 'stopped';
    this.log.info('telegram: stopped');
  }

  send(to: UserRef, outbound: Outbound): Promise<MessageRef[]> {
    return this.sender.send(to, outbound);
  }

  edit(ref: MessageRef, outbound: Outbound): Promise<void> {
    return this.sender.edit(ref, outbound);
  }

  delete(ref: MessageRef): Promise<void> {
    return this.sender.delete(ref);
  }

  /**
   * The bytes of a Telegram file, for a transport on another platform that must re-upload it
   * (Telegram FileHandles carry no url: the download URL contains the bot token). Shaped as
   * the Discord adapter's FileFetcher; null when the file is not Telegram's or not available.
   */
  readonly fetchFile = async (
    file: FileHandle,
  ): Promise<{ data: Buffer; fileName: string; mimeType: string } | null> => {
    if (file.platform !== 'telegram') return null;
    try {
      const info = await this.api.call('getFile', { file_id: file.fileId });
      if (info.file_path === undefined) return null;
      const root = (this.o.apiRoot ?? DEFAULT_API_ROOT).replace(/\/+$/, '');
      const fileName = file.fileName ?? info.file_path.split('/').pop() ?? 'file';
      const downloaded = await downloadForeignFile(
        { ...file, url: `${root}/file/bot${this.o.token}/${info.file_path}`, fileName },
        this.requestTimeoutMs,
        this.o.maxForeignFileBytes ?? MAX_FOREIGN_FILE_BYTES,
      );
      return { data: downloaded.bytes, fileName: downloaded.fileName, mimeType: file.mimeType ?? 'application/octet-stream' };
    } catch (e) {
      if (e instanceof DeliveryError) {
        this.log.warn({ code: e.platformCode, kind: e.kind }, 'telegram: could not fetch a file');
        return null;
      }
      throw e;
    }
  };

  private trackWebhook(raw: unknown): Promise<WebhookOutcome> {
    const p = this.handleRaw(raw);
    this.webhookInFlight.add(p);
    void p.finally(() => this.webhookInFlight.delete(p));
    return p;
  }

  /** One update from polling or the webhook; never rejects. */
  private async handleRaw(raw: unknown): Promise<WebhookOutcome> {
    const updateId = rawUpdateId(raw);
    if (updateId === undefined) {
      this.log.warn('telegram: rejected an update without a valid update_id');
      return 'rejected';
    }
    if (this.seen.has(updateId)) {
      this.log.debug({ updateId }, 'telegram: duplicate update ignored');
      return 'done';
    }
    this.seen.set(updateId, true);
    const parsed = updateSchema.safeParse(raw);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.code}`);
      this.log.warn({ updateId, issues }, 'telegram: rejected a malformed update');
      return 'done';
    }
    let handled: boolean;
    try {
      handled = await this.route(parsed.data);
    } catch (e) {
      this.log.error({ updateId, err: describe(e) }, 'telegram: update handling crashed');
      handled = false;
    }
    // Forgetting a failed update lets a webhook re-delivery try it again.
    if (!handled) this.seen.delete(updateId);
    return handled ? 'done' : 'failed';
  }

  private async route(update: TgUpdate): Promise<boolean> {
    const c = classifyUpdate(update);
    const at = new Date();
    // An album collected in this chat is complete once anything else arrives from the chat;
    // it goes to the core first, so a message sent after an album is not relayed before it.
    const chatId =
      c.kind === 'message' || c.kind === 'edit'
        ? c.message.chat.id
        : c.kind === 'callback'
          ? c.query.from.id
          : c.kind === 'left'
            ? c.member.chat.id
            : undefined;
    if (chatId !== undefined) {
      await this.albums.flushChat(String(chatId), c.kind === 'message' ? c.message.media_group_id : undefined);
    }
    switch (c.kind) {
      case 'message':
        return this.onMessage(update.update_id, c.message, at);
      case 'edit':
        return this.dispatch(editInbound(update.update_id, c.message, at));
      case 'callback':
        return this.onCallback(update.update_id, c.query, at);
      case 'left':
        this.forms.cancel(String(c.member.chat.id));
        return this.dispatch(leftInbound(update.update_id, c.member, at));
      case 'group':
        await this.hintGroup(c.chatId);
        return true;
      case 'ignored':
        this.log.debug({ updateId: update.update_id, reason: c.reason }, 'telegram: update ignored');
        return true;
    }
  }

  private async onMessage(updateId: number, message: TgMessage, at: Date): Promise<boolean> {
    const chatId = String(message.chat.id);
    this.retryModeratorMenu(chatId);
    if (message.text !== undefined && message.from !== undefined) {
      if (parseCommand(message.text, this.botUsername) !== undefined) {
        // A command means the user moved on; a later plain text is not the form's answer.
        this.forms.cancel(chatId);
      } else {
        const form = this.forms.take(chatId, message.reply_to_message?.message_id);
        if (form !== undefined) {
          return this.dispatch(buttonInbound(updateId, message.chat.id, message.from, form.action, at, message.text));
        }
      }
    }
    if (message.media_group_id !== undefined) {
      this.albums.add(chatId, message.media_group_id, updateId, messageInbound(updateId, message, at));
      return true;
    }
    return this.dispatch(commandOrMessage(updateId, message, this.botUsername, at));
  }

  private async onCallback(updateId: number, query: TgCallbackQuery, at: Date): Promise<boolean> {
    // Telegram shows a spinner on the button until the query is answered, so it always is.
    let toast: string | undefined;
    try {
      if (query.message !== undefined && query.message.chat.type !== 'private') return true;
      if (query.data === undefined) return true;
      const action = this.callbackData.decode(query.data);
      if (action === undefined) {
        toast = EXPIRED_BUTTON_TEXT;
        return true;
      }
      return await this.dispatch(buttonInbound(updateId, query.from.id, query.from, action, at), (text) => {
        toast = text;
      });
    } finally {
      try {
        await this.api.call('answerCallbackQuery', {
          callback_query_id: query.id,
          ...(toast !== undefined ? { text: toast } : {}),
        });
      } catch (e) {
        this.log.warn({ updateId, err: describe(e) }, 'telegram: answerCallbackQuery failed');
      }
    }
  }

  /**
   * Hands one inbound to the core. The core answers expected refusals itself; a UserError
   * that still escapes is shown to the user (its message is written for them). Any other
   * failure is retried a few times and then reported as not handled.
   */
  private async dispatch(inbound: Inbound, onUserError?: (text: string) => void): Promise<boolean> {
    const handler = this.handler;
    if (handler === undefined) return false;
    for (let attempt = 0; ; attempt += 1) {
      try {
        await handler(inbound);
        return true;
      } catch (e) {
        if (e instanceof UserError) {
          const text = e.message;
          if (onUserError !== undefined) onUserError(text);
          else await this.tell(inbound.userRef, text);
          return true;
        }
        const delay = this.retryDelaysMs[attempt];
        const where = { updateId: inbound.updateId, kind: inbound.kind, attempt: attempt + 1, err: describe(e) };
        if (delay === undefined) {
          this.log.error(where, 'telegram: the core failed to handle an update');
          return false;
        }
        this.log.warn(where, 'telegram: the core failed to handle an update, retrying');
        await sleep(delay);
      }
    }
  }

  private async tell(to: UserRef, text: string): Promise<void> {
    try {
      await this.api.call('sendMessage', { chat_id: to.externalId, text });
    } catch (e) {
      this.log.warn({ err: describe(e) }, 'telegram: could not send an error reply');
    }
  }

  private async hintGroup(chatId: number): Promise<void> {
    if (this.toldGroups.has(chatId)) return;
    this.toldGroups.set(chatId, true);
    try {
      await this.api.call('sendMessage', { chat_id: chatId, text: groupHintText(this.botUsername) });
    } catch (e) {
      this.log.warn({ err: describe(e) }, 'telegram: could not send the private-chat hint to a group');
    }
  }
}
