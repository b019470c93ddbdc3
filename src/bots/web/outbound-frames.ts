import type { MessageContent, MessageRef, Outbound, RelayOutbound } from '../../core/index.js';
import { frame, type ServerFrame, type WebContent } from './protocol.js';

const MEDIA_LABEL: Record<string, string> = {
  photo: 'a photo',
  video: 'a video',
  animation: 'a GIF',
  voice: 'a voice message',
  audio: 'an audio file',
  video_note: 'a video message',
  sticker: 'a sticker',
  document: 'a file',
};

/** Only plain http(s) URLs without credentials may reach an <img src>. */
export function fetchableUrl(raw: string | undefined): string | null {
  if (raw === undefined || raw.length > 2048) return null;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (url.username !== '' || url.password !== '') return null;
    return url.href;
  } catch {
    return null;
  }
}

/** How a relayed message is shown on the page. Text stays text: the page never parses HTML. */
export function webContent(content: MessageContent): WebContent {
  switch (content.kind) {
    case 'text':
      return { kind: 'text', text: content.text };
    case 'media': {
      const caption = content.caption !== undefined && content.caption !== '' ? { caption: content.caption } : {};
      const url = content.media === 'photo' || content.media === 'sticker' ? fetchableUrl(content.file.url) : null;
      if (url) return { kind: 'photo', url, ...caption };
      return { kind: 'unavailable', what: MEDIA_LABEL[content.media] ?? 'a file', ...caption };
    }
    case 'location':
      return { kind: 'unavailable', what: 'a location' };
    case 'contact':
      return { kind: 'unavailable', what: 'a contact' };
    case 'poll':
      return { kind: 'unavailable', what: 'a poll' };
    case 'unsupported':
      return { kind: 'unavailable', what: content.description };
  }
}

/** Refers to a message on this visitor's page, if the ref is one. */
const localId = (ref: MessageRef | undefined, visitorId: string): string | undefined =>
  ref && ref.platform === 'web' && ref.chatId === visitorId ? ref.messageId : undefined;

function relayFrame(o: RelayOutbound, id: string, at: string, visitorId: string): ServerFrame {
  const replyTo = localId(o.replyTo, visitorId);
  return frame({ type: 'relay', id, at, content: webContent(o.content), ...(replyTo ? { replyTo } : {}) });
}

/**
 * The frames one core Outbound becomes, each with a fresh message id (an album becomes one
 * frame per item, so each item can be edited or deleted on its own).
 */
export function outboundFrames(outbound: Outbound, visitorId: string, nextId: () => string, at: Date): ServerFrame[] {
  const iso = at.toISOString();
  switch (outbound.kind) {
    case 'notice':
      return [
        frame({
          type: 'notice',
          id: nextId(),
          at: iso,
          text: outbound.text,
          ...(outbound.buttons?.length
            ? { buttons: outbound.buttons.map((row) => row.map((b) => ({ label: b.label, action: b.action }))) }
            : {}),
          ...(outbound.form ? { form: { action: outbound.form.action, title: outbound.form.title, label: outbound.form.label } } : {}),
        }),
      ];
    case 'relay':
      return [relayFrame(outbound, nextId(), iso, visitorId)];
    case 'album':
      return outbound.items.map((item) => relayFrame(item, nextId(), iso, visitorId));
  }
}

/** An edit of a message the visitor already has: the new content (captions and texts alike). */
export function editFrame(messageId: string, outbound: Outbound): ServerFrame {
  if (outbound.kind === 'relay') return frame({ type: 'edit', id: messageId, content: webContent(outbound.content) });
  if (outbound.kind === 'notice') return frame({ type: 'edit', id: messageId, content: { kind: 'text', text: outbound.text } });
  const first = outbound.items[0];
  return frame({ type: 'edit', id: messageId, content: first ? webContent(first.content) : { kind: 'text', text: '' } });
}
