import type {
  AlbumOutbound,
  Log,
  MediaKind,
  MessageContent,
  MessageRef,
  NoticeOutbound,
  Outbound,
  Platform,
  RelayOutbound,
  TextEntity,
} from '../../core/index.js';
import type { ActionCodec, FormSpec } from './action-codec.js';
import { buttonRows, formOpenerRow, ROWS_PER_MESSAGE, type ButtonActionRow } from './components.js';
import { nonMediaText } from './content-text.js';
import { escapePlain, splitText, toDiscordMarkdown } from './markdown.js';
import type { MediaResolver, OutgoingFile, ResolvedMedia } from './media-resolver.js';

/** Discord's limits for one message. */
export const MAX_TEXT_LENGTH = 2000;
const FILES_PER_MESSAGE = 10;

/** One Discord message to create. */
export interface RenderedMessage {
  readonly content: string;
  readonly components: readonly ButtonActionRow[];
  readonly files: readonly OutgoingFile[];
  readonly replyTo?: MessageRef;
  /** How many of the outbound's items this message carries (album members; 0 for overflow text). */
  readonly items: number;
}

const MEDIA_LABEL: Record<MediaKind, string> = {
  photo: 'photo',
  video: 'video',
  animation: 'GIF',
  voice: 'voice message',
  audio: 'audio file',
  video_note: 'video message',
  sticker: 'sticker',
  document: 'file',
};

const megabytes = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

function mediaNotice(media: MediaKind, resolved: Exclude<ResolvedMedia, { kind: 'file' }>, limitBytes: number): string {
  const label = MEDIA_LABEL[media];
  if (resolved.kind === 'unavailable') return `*📎 A ${label} could not be delivered.*`;
  const size = resolved.size === undefined ? '' : ` (${megabytes(resolved.size)})`;
  const head = `*📎 This ${label}${size} is larger than the ${megabytes(limitBytes)} a bot may upload to Discord.*`;
  return resolved.link === undefined ? head : `${head}\n${resolved.link}`;
}

/**
 * Text written on Discord stays as it is (it is already markdown). Text from elsewhere is
 * plain text plus entities, so it is escaped and its entities become markdown.
 */
function relayText(text: string, entities: readonly TextEntity[] | undefined, from: Platform | undefined): string {
  if (entities !== undefined && entities.length > 0) return toDiscordMarkdown(text, entities);
  return from !== undefined && from !== 'discord' ? escapePlain(text) : text;
}

const replyOf = (ref: MessageRef | undefined): MessageRef | undefined => (ref?.platform === 'discord' ? ref : undefined);

interface RenderedItem {
  readonly text: string;
  readonly file?: OutgoingFile;
}

export interface OutboundRendererDeps {
  readonly media: MediaResolver;
  readonly codec: ActionCodec;
  readonly log: Log;
  /** The most one message may upload, multipart overhead included. */
  readonly uploadBudgetBytes: number;
}

/** Core outbounds -> Discord messages (text, buttons, files), without sending anything. */
export class OutboundRenderer {
  constructor(private readonly deps: OutboundRendererDeps) {}

  formOf(notice: NoticeOutbound): FormSpec | undefined {
    return notice.form && { action: notice.form.action, title: notice.form.title, label: notice.form.label };
  }

  /** A notice's text with its buttons (and a form button) on the last piece. */
  renderNotice(notice: NoticeOutbound): RenderedMessage[] {
    const taken = new Set<string>();
    const { rows, dropped } = buttonRows(notice.buttons ?? [], this.deps.codec, taken);
    if (dropped > 0) this.deps.log.warn({ dropped }, 'notice has more buttons than Discord shows; extra buttons dropped');
    const form = this.formOf(notice);
    const components =
      form && rows.length < ROWS_PER_MESSAGE ? [...rows, formOpenerRow(form, this.deps.codec, taken)] : rows;
    const pieces = splitText(toDiscordMarkdown(notice.text, notice.entities), MAX_TEXT_LENGTH);
    return pieces.map((content, index) => ({
      content,
      components: index === pieces.length - 1 ? components : [],
      files: [],
      items: index === 0 ? 1 : 0,
    }));
  }

  async render(outbound: Outbound): Promise<RenderedMessage[]> {
    switch (outbound.kind) {
      case 'notice':
        return this.renderNotice(outbound);
      case 'relay':
        return this.renderRelay(outbound);
      case 'album':
        return this.renderAlbum(outbound);
    }
  }

  private async renderItem(relay: RelayOutbound): Promise<RenderedItem> {
    const { content } = relay;
    const from = relay.origin?.from.platform;
    if (content.kind === 'text') return { text: relayText(content.text, content.entities, from) };
    if (content.kind !== 'media') return { text: nonMediaText(content) ?? '' };
    // Discord shows every file the same way, so a round video or a voice note becomes a plain upload.
    const caption = content.caption === undefined ? '' : relayText(content.caption, content.entities, from);
    const resolved = await this.deps.media.resolve(content.media, content.file);
    // Animated Telegram stickers are Lottie files, which Discord would show as a download.
    if (resolved.kind === 'file' && content.media === 'sticker' && !/^(image|video)\//.test(resolved.file.contentType)) {
      return { text: [caption, '*[An animated sticker that Discord cannot show]*'].filter((t) => t !== '').join('\n') };
    }
    if (resolved.kind === 'file') return { text: caption, file: resolved.file };
    return { text: [caption, mediaNotice(content.media, resolved, this.deps.media.limitBytes)].filter((t) => t !== '').join('\n') };
  }

  private async renderRelay(relay: RelayOutbound): Promise<RenderedMessage[]> {
    const item = await this.renderItem(relay);
    const replyTo = replyOf(relay.replyTo);
    const pieces = item.text === '' ? [''] : splitText(item.text, MAX_TEXT_LENGTH);
    return pieces.map((content, index) => ({
      content,
      components: [],
      files: index === 0 && item.file ? [item.file] : [],
      ...(index === 0 && replyTo !== undefined && { replyTo }),
      items: index === 0 ? 1 : 0,
    }));
  }

  /**
   * An album stays one message where Discord allows it: up to ten files within the upload
   * budget, captions gathered into the text. Larger albums continue in further messages.
   */
  private async renderAlbum(album: AlbumOutbound): Promise<RenderedMessage[]> {
    const items = await Promise.all(album.items.map((item) => this.renderItem(item)));
    const replyTo = replyOf(album.items[0]?.replyTo);
    const groups: RenderedItem[][] = [];
    let current: RenderedItem[] = [];
    let bytes = 0;
    for (const item of items) {
      const size = item.file?.data.byteLength ?? 0;
      const fileCount = current.filter((i) => i.file).length;
      if (current.length > 0 && item.file && (fileCount >= FILES_PER_MESSAGE || bytes + size > this.deps.uploadBudgetBytes)) {
        groups.push(current);
        current = [];
        bytes = 0;
      }
      current.push(item);
      bytes += size;
    }
    if (current.length > 0) groups.push(current);

    const messages: RenderedMessage[] = [];
    for (const [groupIndex, group] of groups.entries()) {
      const text = group
        .map((i) => i.text)
        .filter((t) => t !== '')
        .join('\n');
      const pieces = text === '' ? [''] : splitText(text, MAX_TEXT_LENGTH);
      for (const [pieceIndex, content] of pieces.entries()) {
        const first = pieceIndex === 0;
        messages.push({
          content,
          components: [],
          files: first ? group.flatMap((i) => (i.file ? [i.file] : [])) : [],
          ...(first && groupIndex === 0 && replyTo !== undefined && { replyTo }),
          items: first ? group.length : 0,
        });
      }
    }
    return messages;
  }

  /**
   * What an edit can change on Discord: the text (a caption for media) and the buttons.
   * Files cannot be swapped in place.
   */
  renderEdit(outbound: Outbound): { content: string; components?: readonly ButtonActionRow[] } {
    if (outbound.kind === 'notice') {
      const [first] = this.renderNotice(outbound);
      return { content: first?.content ?? '', components: first?.components ?? [] };
    }
    const relay = outbound.kind === 'album' ? outbound.items[0] : outbound;
    if (!relay) return { content: '' };
    return { content: splitText(this.editText(relay.content, relay.origin?.from.platform), MAX_TEXT_LENGTH)[0] ?? '' };
  }

  private editText(content: MessageContent, from: Platform | undefined): string {
    if (content.kind === 'text') return relayText(content.text, content.entities, from);
    if (content.kind === 'media') return content.caption === undefined ? '' : relayText(content.caption, content.entities, from);
    return nonMediaText(content) ?? '';
  }
}
