import type {
  ButtonInbound,
  CommandInbound,
  EditInbound,
  LeftInbound,
  MessageInbound,
  MessageRef,
  Profile,
  UserRef,
} from '../../core/index.js';
import { parseCommand } from './command.js';
import { contentOf } from './content.js';
import type { TgCallbackQuery, TgChatMemberUpdated, TgMessage, TgUpdate, TgUser } from './update-schema.js';

/** What one validated update asks the adapter to do, before any adapter state is consulted. */
export type Classified =
  | { readonly kind: 'message'; readonly message: TgMessage }
  | { readonly kind: 'edit'; readonly message: TgMessage }
  | { readonly kind: 'callback'; readonly query: TgCallbackQuery }
  | { readonly kind: 'left'; readonly member: TgChatMemberUpdated }
  /** Something in a group, supergroup or channel: the bot only chats in private. */
  | { readonly kind: 'group'; readonly chatId: number }
  | { readonly kind: 'ignored'; readonly reason: string };

export function classifyUpdate(update: TgUpdate): Classified {
  const message = update.message;
  if (message !== undefined) {
    if (message.chat.type !== 'private') return { kind: 'group', chatId: message.chat.id };
    if (message.from === undefined) return { kind: 'ignored', reason: 'private message without sender' };
    return { kind: 'message', message };
  }
  const edited = update.edited_message;
  if (edited !== undefined) {
    if (edited.chat.type !== 'private' || edited.from === undefined) return { kind: 'ignored', reason: 'edit outside private chat' };
    return { kind: 'edit', message: edited };
  }
  if (update.callback_query !== undefined) return { kind: 'callback', query: update.callback_query };
  const member = update.my_chat_member;
  if (member !== undefined) {
    if (member.chat.type === 'private' && member.new_chat_member.status === 'kicked') return { kind: 'left', member };
    return { kind: 'ignored', reason: `my_chat_member ${member.new_chat_member.status} in ${member.chat.type}` };
  }
  return { kind: 'ignored', reason: 'update kind not handled' };
}

export const telegramUser = (id: number | string): UserRef => ({ platform: 'telegram', externalId: String(id) });

export const telegramRef = (chatId: number | string, messageId: number | string): MessageRef => ({
  platform: 'telegram',
  chatId: String(chatId),
  messageId: String(messageId),
});

export function profileOf(user: TgUser): Profile {
  const displayName = [user.first_name, user.last_name].filter((p): p is string => p !== undefined && p !== '').join(' ');
  return {
    ...(user.username !== undefined ? { username: user.username } : {}),
    ...(displayName !== '' ? { displayName } : {}),
  };
}

interface Base {
  readonly updateId: string;
  readonly userRef: UserRef;
  readonly receivedAt: Date;
  readonly profile?: Profile;
}

function base(updateId: number, chatId: number, from: TgUser | undefined, receivedAt: Date): Base {
  return {
    updateId: String(updateId),
    // In a private chat the chat id is the user's id, and it is where replies go.
    userRef: telegramUser(chatId),
    receivedAt,
    ...(from !== undefined ? { profile: profileOf(from) } : {}),
  };
}

export function messageInbound(updateId: number, message: TgMessage, receivedAt: Date): MessageInbound {
  const replyTo = message.reply_to_message;
  return {
    ...base(updateId, message.chat.id, message.from, receivedAt),
    kind: 'message',
    ref: telegramRef(message.chat.id, message.message_id),
    content: contentOf(message),
    ...(replyTo !== undefined ? { replyTo: telegramRef(message.chat.id, replyTo.message_id) } : {}),
  };
}

export function commandOrMessage(
  updateId: number,
  message: TgMessage,
  botUsername: string,
  receivedAt: Date,
): CommandInbound | MessageInbound {
  const command = message.text !== undefined ? parseCommand(message.text, botUsername) : undefined;
  if (command === undefined) return messageInbound(updateId, message, receivedAt);
  return { ...base(updateId, message.chat.id, message.from, receivedAt), kind: 'command', ...command };
}

export function editInbound(updateId: number, message: TgMessage, receivedAt: Date): EditInbound {
  return {
    ...base(updateId, message.chat.id, message.from, receivedAt),
    kind: 'edit',
    ref: telegramRef(message.chat.id, message.message_id),
    content: contentOf(message),
  };
}

export function buttonInbound(
  updateId: number,
  chatId: number,
  from: TgUser,
  action: string,
  receivedAt: Date,
  text?: string,
): ButtonInbound {
  return {
    ...base(updateId, chatId, from, receivedAt),
    kind: 'button',
    action,
    ...(text !== undefined ? { text } : {}),
  };
}

export function leftInbound(updateId: number, member: TgChatMemberUpdated, receivedAt: Date): LeftInbound {
  return { ...base(updateId, member.chat.id, member.from, receivedAt), kind: 'left' };
}
