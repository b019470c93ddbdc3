import {
  Routes,
  type APIMessage,
  type REST,
  type RESTPatchAPIChannelMessageJSONBody,
  type RESTPostAPIChannelMessageJSONBody,
} from 'discord.js';
import type { MessageRef } from '../../core/index.js';
import type { ButtonActionRow } from './components.js';
import { LruMap } from '../../core/lru-map.js';
import type { RenderedMessage } from './outbound-render.js';

/**
 * Mentions never ping anyone: a stranger's `@everyone` or `<@id>` is shown as written and
 * notifies no one.
 */
export const noMentions = (): { parse: [] } => ({ parse: [] });

/** Interaction tokens live 15 minutes; stop using one a little earlier. */
const INTERACTION_TOKEN_LIFETIME_MS = 14 * 60 * 1000;

interface WebhookMessage {
  readonly token: string;
  readonly expiresAt: number;
}

export function createBody(message: RenderedMessage): RESTPostAPIChannelMessageJSONBody {
  return {
    content: message.content,
    allowed_mentions: noMentions(),
    ...(message.components.length > 0 && { components: [...message.components] }),
    ...(message.files.length > 0 && { attachments: message.files.map((file, index) => ({ id: index, filename: file.name })) }),
    ...(message.replyTo && {
      message_reference: { message_id: message.replyTo.messageId, channel_id: message.replyTo.chatId, fail_if_not_exists: false },
    }),
  };
}

export function editBody(edit: { content: string; components?: readonly ButtonActionRow[] }): RESTPatchAPIChannelMessageJSONBody {
  return {
    content: edit.content,
    allowed_mentions: noMentions(),
    ...(edit.components !== undefined && { components: [...edit.components] }),
  };
}

/**
 * Creates, edits and deletes messages through discord.js's REST client (and so its rate-limit
 * queues). Messages that were an interaction's reply or follow-up belong to the interaction's
 * webhook, so while its token lives they are edited through it.
 */
export class MessageSender {
  private readonly webhookMessages = new LruMap<string, WebhookMessage>(5_000);

  constructor(
    private readonly rest: REST,
    private readonly applicationId: string,
  ) {}

  async create(channelId: string, message: RenderedMessage): Promise<MessageRef> {
    const created = (await this.rest.post(Routes.channelMessages(channelId), {
      body: createBody(message),
      ...(message.files.length > 0 && {
        files: message.files.map((file) => ({ name: file.name, data: file.data, contentType: file.contentType })),
      }),
    })) as APIMessage;
    return { platform: 'discord', chatId: created.channel_id, messageId: created.id };
  }

  async edit(ref: MessageRef, edit: { content: string; components?: readonly ButtonActionRow[] }): Promise<void> {
    const body = editBody(edit);
    const webhook = this.liveWebhook(ref.messageId);
    if (webhook) {
      await this.rest.patch(Routes.webhookMessage(this.applicationId, webhook.token, ref.messageId), { body, auth: false });
      return;
    }
    await this.rest.patch(Routes.channelMessage(ref.chatId, ref.messageId), { body });
  }

  async delete(ref: MessageRef): Promise<void> {
    const webhook = this.liveWebhook(ref.messageId);
    if (webhook) {
      await this.rest.delete(Routes.webhookMessage(this.applicationId, webhook.token, ref.messageId), { auth: false });
      return;
    }
    await this.rest.delete(Routes.channelMessage(ref.chatId, ref.messageId));
  }

  rememberInteractionMessage(messageId: string, token: string, interactionCreatedAt: number): void {
    this.webhookMessages.set(messageId, { token, expiresAt: interactionCreatedAt + INTERACTION_TOKEN_LIFETIME_MS });
  }

  private liveWebhook(messageId: string): WebhookMessage | undefined {
    const webhook = this.webhookMessages.get(messageId);
    if (webhook && webhook.expiresAt > Date.now()) return webhook;
    if (webhook) this.webhookMessages.delete(messageId);
    return undefined;
  }
}
