import {
  InteractionContextType,
  MessageFlags,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type ModalSubmitInteraction,
  type User,
} from 'discord.js';
import type { Inbound, Log } from '../../core/index.js';
import type { ActionCodec } from './action-codec.js';
import { commandArgs } from './command-args.js';
import { FORM_TEXT_INPUT_ID, formModal } from './components.js';
import { toDeliveryError } from './delivery-errors.js';
import type { DmChannels } from './dm-channels.js';
import type { InteractionDesk } from './interaction-desk.js';
import { interactionHandle } from './interaction-handle.js';
import { profileOf, userRefOf } from './inbound-message.js';
import { noMentions, type MessageSender } from './message-sender.js';

export const CHECK_YOUR_DMS = '📬 Check your DMs: EchoSoul chats happen there, so nobody here sees them.';

export const DMS_CLOSED_HELP = [
  "🔒 I can't send you direct messages, and EchoSoul chats happen in DMs.",
  'To allow them: right-click this server\'s icon → **Privacy Settings** → turn on **Direct Messages**',
  '(or **User Settings → Content & Social → allow DMs from server members**).',
  'Then run the command again, or open a DM with me and use it there.',
].join('\n');

const DM_UNAVAILABLE = "I couldn't open a DM with you just now. Please try again in a moment.";
const BUTTON_EXPIRED = 'This button has expired. Use /help to see what you can do.';

const dmIntro = (command: string): string =>
  `👋 You used **/${command}** in a server. EchoSoul continues here, in our DM, so your chat stays between you and a stranger.`;

export interface InteractionRouterDeps {
  readonly codec: ActionCodec;
  readonly desk: InteractionDesk;
  readonly dms: DmChannels;
  readonly sender: MessageSender;
  readonly emit: (inbound: Inbound) => void;
  readonly log: Log;
}

/**
 * Slash commands, buttons and modal submits -> core inbounds. Conversations only ever happen
 * in the bot's DM: a command used in a server or another DM gets a private pointer there.
 */
export class InteractionRouter {
  constructor(private readonly deps: InteractionRouterDeps) {}

  async handle(interaction: Interaction): Promise<void> {
    try {
      if (interaction.user.bot) return;
      if (interaction.isChatInputCommand()) await this.command(interaction);
      else if (interaction.isButton()) await this.button(interaction);
      else if (interaction.isModalSubmit()) await this.modalSubmit(interaction);
    } catch (error) {
      this.deps.log.warn({ err: error instanceof Error ? error.name : 'unknown', type: interaction.type }, 'interaction handling failed');
    }
  }

  private base(interaction: Interaction): Pick<Inbound, 'userRef' | 'updateId' | 'receivedAt' | 'profile'> {
    return {
      userRef: userRefOf(interaction.user.id),
      updateId: interaction.id,
      receivedAt: new Date(),
      profile: profileOf({ username: interaction.user.username, global_name: interaction.user.globalName }),
    };
  }

  private rememberDm(interaction: Interaction): void {
    if (isBotDm(interaction) && interaction.channelId) this.deps.dms.remember(interaction.user.id, interaction.channelId);
  }

  private async command(interaction: ChatInputCommandInteraction): Promise<void> {
    const inbound: Inbound = {
      ...this.base(interaction),
      kind: 'command',
      name: interaction.commandName.toLowerCase(),
      args: commandArgs(interaction.commandName, interaction.options.data),
    };
    this.deps.log.debug({ command: inbound.name, context: interaction.context }, 'slash command');
    if (isBotDm(interaction)) {
      this.rememberDm(interaction);
      this.deps.desk.openFor(interaction.user.id, interactionHandle(interaction, 'reply'), { mode: 'reply', canShowModal: true });
      this.deps.emit(inbound);
      return;
    }
    if (await this.moveToDm(interaction, interaction.user)) this.deps.emit(inbound);
  }

  /**
   * Opens the user's DM and says hello there; that first message is also the test of whether
   * the user accepts DMs from the bot (50007 if not), which only sending can tell.
   */
  private async moveToDm(interaction: ChatInputCommandInteraction, user: User): Promise<boolean> {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    let answer = CHECK_YOUR_DMS;
    let moved = true;
    try {
      const channelId = await this.deps.dms.channelOf(user.id);
      await this.deps.sender.create(channelId, { content: dmIntro(interaction.commandName), components: [], files: [], items: 1 });
    } catch (error) {
      const failure = toDeliveryError(error);
      this.deps.log.info({ code: failure.platformCode }, 'could not move a server command to DMs');
      answer = failure.platformCode === 50007 || failure.platformCode === 50278 ? DMS_CLOSED_HELP : DM_UNAVAILABLE;
      moved = false;
    }
    await interaction.editReply({ content: answer, allowedMentions: noMentions() });
    return moved;
  }

  private async button(interaction: ButtonInteraction): Promise<void> {
    const decoded = this.deps.codec.decode(interaction.customId);
    if (decoded.kind === 'form') {
      await interaction.showModal(formModal(decoded.form, this.deps.codec));
      return;
    }
    if (decoded.kind === 'expired') {
      await interaction.reply({ content: BUTTON_EXPIRED, flags: MessageFlags.Ephemeral });
      return;
    }
    this.rememberDm(interaction);
    this.deps.desk.openFor(interaction.user.id, interactionHandle(interaction, 'update'), { mode: 'update', canShowModal: true });
    this.deps.emit({ ...this.base(interaction), kind: 'button', action: decoded.action });
  }

  private async modalSubmit(interaction: ModalSubmitInteraction): Promise<void> {
    const decoded = this.deps.codec.decode(interaction.customId);
    if (decoded.kind !== 'action') {
      await interaction.reply({ content: BUTTON_EXPIRED, flags: MessageFlags.Ephemeral });
      return;
    }
    const text = formText(interaction);
    // A form opened from a button leaves that message as it is; one opened by a command is answered like the command.
    const mode = interaction.isFromMessage() ? 'update' : 'reply';
    this.rememberDm(interaction);
    this.deps.desk.openFor(interaction.user.id, interactionHandle(interaction, mode), { mode, canShowModal: false });
    this.deps.emit({ ...this.base(interaction), kind: 'button', action: decoded.action, ...(text !== '' && { text }) });
  }
}

function formText(interaction: ModalSubmitInteraction): string {
  try {
    return interaction.fields.getTextInputValue(FORM_TEXT_INPUT_ID).trim();
  } catch {
    return '';
  }
}

/**
 * Whether the interaction happened in the bot's own DM. Discord sends `context` on every
 * interaction; without it (older payloads) only servers and the bot DM existed.
 */
export function isBotDm(interaction: Pick<Interaction, 'context' | 'guildId'>): boolean {
  if (interaction.context !== null && interaction.context !== undefined) return interaction.context === InteractionContextType.BotDM;
  return interaction.guildId === null;
}
