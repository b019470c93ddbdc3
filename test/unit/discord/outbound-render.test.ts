import { describe, expect, test } from 'vitest';
import { ActionCodec } from '../../../src/bots/discord/action-codec.js';
import { MediaResolver } from '../../../src/bots/discord/media-resolver.js';
import { OutboundRenderer } from '../../../src/bots/discord/outbound-render.js';
import { notice, type Log, type MessageContent, type RelayOutbound } from '../../../src/core/index.js';

const silent: Log = { trace: () => {}, debug: () => {}, info: () => {}, warn: () => {}, error: () => {}, child: () => silent };

function renderer(limitBytes = 1000): OutboundRenderer {
  const media = new MediaResolver({
    limitBytes,
    fetchTimeoutMs: 1000,
    log: silent,
    // Telegram-style files: bytes by file id, no url.
    fileFetcher: (file) =>
      Promise.resolve(file.fileId.startsWith('big') ? { data: Buffer.alloc(limitBytes + 1), fileName: 'big.mp4', mimeType: 'video/mp4' }
        : file.fileId.startsWith('ok') ? { data: Buffer.alloc(400), fileName: `${file.fileId}.jpg`, mimeType: 'image/jpeg' } : null),
  });
  return new OutboundRenderer({ media, codec: new ActionCodec(), log: silent, uploadBudgetBytes: limitBytes });
}

const photo = (fileId: string, caption?: string): RelayOutbound => ({
  kind: 'relay',
  content: { kind: 'media', media: 'photo', file: { platform: 'telegram', fileId }, ...(caption !== undefined && { caption }) },
});

describe('OutboundRenderer', () => {
  test('a notice is escaped text with its buttons and a form button on the last piece', () => {
    const [message, ...rest] = renderer().renderNotice(
      notice('Rate *this* chat', {
        buttons: [[{ label: 'Good', action: 'rate:5:session_0a1b2c3d4e' }]],
        form: { action: 'comment:session_0a1b2c3d4e', title: 'Feedback', label: 'Comment' },
      }),
    );
    expect(rest).toEqual([]);
    expect(message?.content).toBe('Rate \\*this\\* chat');
    expect(message?.components).toEqual([
      { type: 1, components: [{ type: 2, style: 2, label: 'Good', custom_id: 'rate:5:session_0a1b2c3d4e' }] },
      { type: 1, components: [{ type: 2, style: 1, label: '✍️ Feedback', custom_id: '~f:comment:session_0a1b2c3d4e' }] },
    ]);
  });

  test('a long notice is split; only the last piece has the buttons', () => {
    const pieces = renderer().renderNotice(notice(`${'a'.repeat(1500)}\n${'b'.repeat(1500)}`, { buttons: [[{ label: 'x', action: 'y' }]] }));
    expect(pieces.map((p) => p.content.length)).toEqual([1500, 1500]);
    expect(pieces.map((p) => p.components.length)).toEqual([0, 1]);
  });

  test('Discord text passes as written; text from elsewhere is escaped; replies are kept', async () => {
    const replyTo = { platform: 'discord' as const, chatId: '1', messageId: '2' };
    const [own] = await renderer().render({ kind: 'relay', content: { kind: 'text', text: '**hi**' }, replyTo });
    expect(own).toMatchObject({ content: '**hi**', replyTo });
    const [foreign] = await renderer().render({
      kind: 'relay',
      content: { kind: 'text', text: '**hi**' },
      origin: { from: { platform: 'telegram', externalId: '1' }, ref: { platform: 'telegram', chatId: '1', messageId: '1' } },
    });
    expect(foreign?.content).toBe('\\*\\*hi\\*\\*');
  });

  test('media without bytes or over the limit becomes a notice next to the caption', async () => {
    const [missing] = await renderer().render(photo('gone', 'caption'));
    expect(missing?.files).toEqual([]);
    expect(missing?.content).toBe('caption\n*📎 A photo could not be delivered.*');
    const [big] = await renderer().render({ kind: 'relay', content: { kind: 'media', media: 'video', file: { platform: 'telegram', fileId: 'big1' } } });
    expect(big?.content).toMatch(/larger than/);
    expect(big?.content).not.toContain('http');
  });

  test('an album groups files within the upload budget and keeps one item count per item', async () => {
    const messages = await renderer(1000).render({ kind: 'album', items: [photo('ok1', 'one'), photo('ok2'), photo('ok3', 'three')] });
    expect(messages.map((m) => m.files.length)).toEqual([2, 1]);
    expect(messages.map((m) => m.items)).toEqual([2, 1]);
    expect(messages.map((m) => m.content)).toEqual(['one', 'three']);
  });

  test('location, contact and poll are text', async () => {
    const content: MessageContent[] = [
      { kind: 'location', latitude: 1.5, longitude: -2.25 },
      { kind: 'contact', phoneNumber: '+100', firstName: 'Ann', lastName: 'Lee' },
    ];
    const [location, contact] = await Promise.all(content.map(async (c) => (await renderer().render({ kind: 'relay', content: c }))[0]));
    expect(location?.content).toContain('1.500000, -2.250000');
    expect(contact?.content).toBe('👤 **Contact:** Ann Lee\n📞 +100');
  });

  test('an edit changes text and buttons only', () => {
    expect(renderer().renderEdit(photo('ok1', 'new caption'))).toEqual({ content: 'new caption' });
    expect(renderer().renderEdit(notice('Done'))).toEqual({ content: 'Done', components: [] });
  });
});
