/**
 * Platform-neutral domain types. Platform ids live inside UserRef only: the core passes
 * a UserRef back to the transport that produced it and never copies it into content
 * that another user receives.
 */

export type Platform = 'telegram' | 'discord' | 'web';
export const PLATFORMS: readonly Platform[] = ['telegram', 'discord', 'web'];

/** How a transport addresses one person (Telegram chat id, Discord user id, web visitor id). */
export interface UserRef {
  readonly platform: Platform;
  readonly externalId: string;
}

/** Internal, platform-free user id (uuid). */
export type UserId = string;

/** The user-visible session id: `session_` + 10 lowercase hex characters. */
export type SessionId = string;

export type UserStatus = 'offline' | 'searching' | 'chatting';

/** Profile bits an adapter may see; used only to prove anonymity, never relayed. */
export interface Profile {
  readonly username?: string;
  readonly displayName?: string;
}

export type TextEntityType =
  | 'bold'
  | 'italic'
  | 'underline'
  | 'strikethrough'
  | 'spoiler'
  | 'code'
  | 'pre'
  | 'text_link'
  | 'blockquote';

export interface TextEntity {
  readonly type: TextEntityType;
  readonly offset: number;
  readonly length: number;
  readonly url?: string;
  readonly language?: string;
}

export type MediaKind =
  | 'photo'
  | 'video'
  | 'animation'
  | 'voice'
  | 'audio'
  | 'video_note'
  | 'sticker'
  | 'document';

/** A file that exists on a platform; the owning adapter knows how to fetch or re-send it. */
export interface FileHandle {
  readonly platform: Platform;
  readonly fileId: string;
  readonly url?: string;
  readonly size?: number;
  readonly mimeType?: string;
  readonly fileName?: string;
}

export type MessageContent =
  | { readonly kind: 'text'; readonly text: string; readonly entities?: readonly TextEntity[] }
  | {
      readonly kind: 'media';
      readonly media: MediaKind;
      readonly file: FileHandle;
      readonly caption?: string;
      readonly entities?: readonly TextEntity[];
    }
  | { readonly kind: 'location'; readonly latitude: number; readonly longitude: number }
  | { readonly kind: 'contact'; readonly phoneNumber: string; readonly firstName: string; readonly lastName?: string }
  | { readonly kind: 'poll'; readonly question: string; readonly options: readonly string[] }
  /** Something the source platform delivered that no transport can carry (service message, invoice...). */
  | { readonly kind: 'unsupported'; readonly description: string };

export type ContentKind = MessageContent['kind'] | MediaKind;

/** Every kind a transport can carry ('unsupported' is by definition none of them). */
export const CARRIED_KINDS: readonly ContentKind[] = [
  'text',
  'media',
  'location',
  'contact',
  'poll',
  'photo',
  'video',
  'animation',
  'voice',
  'audio',
  'video_note',
  'sticker',
  'document',
];

/** The kind a message is checked and logged as: the media kind for media, else the content kind. */
export const contentKind = (content: MessageContent): ContentKind =>
  content.kind === 'media' ? content.media : content.kind;

/** Where a delivered message lives on its platform, so it can be edited, deleted or replied to. */
export interface MessageRef {
  readonly platform: Platform;
  readonly chatId: string;
  readonly messageId: string;
}
