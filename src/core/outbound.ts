import type { MessageContent, MessageRef, TextEntity, UserRef } from './types.js';

export interface Button {
  readonly label: string;
  /** Opaque action string returned in a ButtonInbound (e.g. "rate:5:session_0a1b2c3d4e"). */
  readonly action: string;
}

export type ButtonRow = readonly Button[];

/** A message the bot itself writes (replies, notices, prompts). */
export interface NoticeOutbound {
  readonly kind: 'notice';
  readonly text: string;
  readonly entities?: readonly TextEntity[];
  readonly buttons?: readonly ButtonRow[];
  /** Ask the adapter for a free-text form (Discord modal); others fall back to a text prompt. */
  readonly form?: { readonly action: string; readonly title: string; readonly label: string };
}

/**
 * A partner's message copied for the recipient. `origin` lets the sender's adapter copy
 * natively (Telegram copyMessage) when both sides share a platform; it names the sender's
 * chat for the platform API only and is never rendered to the recipient.
 */
export interface RelayOutbound {
  readonly kind: 'relay';
  readonly content: MessageContent;
  readonly origin?: { readonly from: UserRef; readonly ref: MessageRef };
  readonly replyTo?: MessageRef;
}

/** Several media items that arrived as one album and must stay together. */
export interface AlbumOutbound {
  readonly kind: 'album';
  readonly items: readonly RelayOutbound[];
}

export type Outbound = NoticeOutbound | RelayOutbound | AlbumOutbound;

export const notice = (text: string, extra: Omit<NoticeOutbound, 'kind' | 'text'> = {}): NoticeOutbound => ({
  kind: 'notice',
  text,
  ...extra,
});
