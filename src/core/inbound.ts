import type { MessageContent, MessageRef, Profile, UserRef } from './types.js';

interface InboundBase {
  readonly userRef: UserRef;
  /** Platform update id, used to relay an update delivered twice only once. */
  readonly updateId: string;
  readonly receivedAt: Date;
  readonly profile?: Profile;
}

export interface CommandInbound extends InboundBase {
  readonly kind: 'command';
  /** Lowercase command name without the slash ("find"). */
  readonly name: string;
  /** Everything after the command name, trimmed. */
  readonly args: string;
}

export interface MessageInbound extends InboundBase {
  readonly kind: 'message';
  readonly ref: MessageRef;
  readonly content: MessageContent;
  readonly replyTo?: MessageRef;
}

/** Media that arrived as one album (Telegram media_group_id); the adapter collects the items. */
export interface AlbumInbound extends InboundBase {
  readonly kind: 'album';
  readonly albumId: string;
  readonly items: readonly MessageInbound[];
}

export interface EditInbound extends InboundBase {
  readonly kind: 'edit';
  readonly ref: MessageRef;
  readonly content: MessageContent;
}

export interface DeleteInbound extends InboundBase {
  readonly kind: 'delete';
  readonly ref: MessageRef;
}

/** A button press or form submit; `action` is the opaque string the core put on the button. */
export interface ButtonInbound extends InboundBase {
  readonly kind: 'button';
  readonly action: string;
  /** Free text from a form (a report comment, a feedback comment). */
  readonly text?: string;
}

/** The user blocked the bot or closed their account: they are unreachable from now on. */
export interface LeftInbound extends InboundBase {
  readonly kind: 'left';
}

export type Inbound =
  | CommandInbound
  | MessageInbound
  | AlbumInbound
  | EditInbound
  | DeleteInbound
  | ButtonInbound
  | LeftInbound;

export type InboundHandler = (inbound: Inbound) => Promise<void>;
