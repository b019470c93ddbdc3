import type {
  APIModalInteractionResponseCallbackData,
  ButtonInteraction,
  ChatInputCommandInteraction,
  Message,
  ModalSubmitInteraction,
} from 'discord.js';
import type { MessageRef } from '../../core/index.js';
import type { ButtonActionRow } from './components.js';
import { noMentions } from './message-sender.js';

export interface ReplyPayload {
  readonly content: string;
  readonly components: readonly ButtonActionRow[];
}

/**
 * What the adapter may do with one interaction, independent of its discord.js class, so the
 * reply logic can be reasoned about (and tested) without a gateway.
 */
export interface InteractionHandle {
  readonly token: string;
  readonly createdAt: number;
  /** Answer with a message (slash commands, modal submits). */
  reply(payload: ReplyPayload): Promise<MessageRef>;
  /** Acknowledge without answering yet: "thinking…" for commands, nothing visible for buttons. */
  defer(): Promise<void>;
  editOriginal(payload: ReplyPayload): Promise<MessageRef>;
  followUp(payload: ReplyPayload): Promise<MessageRef>;
  /** Removes the deferred "thinking…" message; resolves to its id when known. */
  deleteOriginal(): Promise<string | undefined>;
  showModal(modal: APIModalInteractionResponseCallbackData): Promise<void>;
}

type Repliable = ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction;

const refOf = (message: Pick<Message, 'id' | 'channelId'>): MessageRef => ({
  platform: 'discord',
  chatId: message.channelId,
  messageId: message.id,
});

const options = (payload: ReplyPayload) => ({
  content: payload.content,
  components: [...payload.components],
  allowedMentions: noMentions(),
});

/**
 * `acknowledge` picks how a silent acknowledgement looks: `reply` defers a reply (commands),
 * `update` defers an update of the message the button sits on (nothing visible).
 */
export function interactionHandle(interaction: Repliable, acknowledge: 'reply' | 'update'): InteractionHandle {
  let originalId: string | undefined;
  return {
    token: interaction.token,
    createdAt: interaction.createdTimestamp,
    async reply(payload) {
      const response = await interaction.reply({ ...options(payload), withResponse: true });
      const message = response.resource?.message;
      originalId = message?.id ?? response.interaction.responseMessageId ?? undefined;
      if (message) return refOf(message);
      return { platform: 'discord', chatId: interaction.channelId ?? '', messageId: originalId ?? '' };
    },
    async defer() {
      if (acknowledge === 'update' && !interaction.isChatInputCommand()) {
        await interaction.deferUpdate();
        return;
      }
      const response = await interaction.deferReply({ withResponse: true });
      originalId = response.interaction.responseMessageId ?? undefined;
    },
    async editOriginal(payload) {
      return refOf(await interaction.editReply(options(payload)));
    },
    async followUp(payload) {
      return refOf(await interaction.followUp(options(payload)));
    },
    async deleteOriginal() {
      await interaction.deleteReply();
      return originalId;
    },
    async showModal(modal) {
      if (interaction.isModalSubmit()) throw new Error('A modal submit cannot open another modal');
      await interaction.showModal(modal);
    },
  };
}
