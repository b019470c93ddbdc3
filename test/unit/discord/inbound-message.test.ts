import { describe, expect, test } from 'vitest';
import { StickerFormatType, type APIAttachment } from 'discord.js';
import {
  attachmentMedia,
  mapMessageCreate,
  mapMessageDelete,
  mapMessageUpdate,
  type InboundContext,
  type WireMessage,
} from '../../../src/bots/discord/inbound-message.js';

const context: InboundContext = {
  receivedAt: new Date('2026-01-01T00:00:00Z'),
  stickerUrl: (id, format) => (format === StickerFormatType.Lottie ? undefined : `https://cdn.test/stickers/${id}.png`),
};

const author = { id: '2000', username: 'alice_w', global_name: 'Alice', discriminator: '0', avatar: null };

const attachment = (contentType: string | undefined, name = 'f'): APIAttachment => ({
  id: `a-${name}`,
  filename: name,
  size: 10,
  url: `https://cdn.test/attachments/1/${name}`,
  proxy_url: `https://media.test/attachments/1/${name}`,
  ...(contentType !== undefined && { content_type: contentType }),
});

const dm = (fields: Partial<WireMessage> = {}): WireMessage => ({
  id: '3000',
  channel_id: '1000',
  author,
  content: '',
  attachments: [],
  type: 0,
  ...fields,
});

describe('attachmentMedia', () => {
  test.each([
    ['image/png', false, 'photo'],
    ['image/jpeg; charset=binary', false, 'photo'],
    ['image/gif', false, 'animation'],
    ['image/svg+xml', false, 'document'],
    ['video/mp4', false, 'video'],
    ['audio/ogg', true, 'voice'],
    ['audio/mpeg', false, 'audio'],
    ['application/pdf', false, 'document'],
    [undefined, false, 'document'],
  ] as const)('%s (voice flag %s) -> %s', (contentType, voice, media) => {
    expect(attachmentMedia(attachment(contentType), voice)).toBe(media);
  });
});

describe('mapMessageCreate', () => {
  test('text keeps markdown; ref, profile and update id come from the message', () => {
    expect(mapMessageCreate(dm({ content: '**hey** @everyone' }), context)).toEqual({
      kind: 'message',
      userRef: { platform: 'discord', externalId: '2000' },
      updateId: '3000',
      receivedAt: context.receivedAt,
      profile: { username: 'alice_w', displayName: 'Alice' },
      ref: { platform: 'discord', chatId: '1000', messageId: '3000' },
      content: { kind: 'text', text: '**hey** @everyone' },
    });
  });

  test('bots, webhooks, servers and system messages are not conversation', () => {
    expect(mapMessageCreate(dm({ author: { ...author, bot: true }, content: 'x' }), context)).toBeNull();
    expect(mapMessageCreate(dm({ webhook_id: '9', content: 'x' }), context)).toBeNull();
    expect(mapMessageCreate({ ...dm({ content: 'x' }), guild_id: '77' }, context)).toBeNull();
    expect(mapMessageCreate(dm({ type: 6, content: 'pinned' }), context)).toBeNull();
  });

  test('one attachment is media with the text as caption and a Discord file handle', () => {
    const mapped = mapMessageCreate(dm({ content: 'look', attachments: [attachment('image/png', 'cat.png')] }), context);
    expect(mapped).toMatchObject({
      kind: 'message',
      content: {
        kind: 'media',
        media: 'photo',
        caption: 'look',
        file: { platform: 'discord', fileId: 'a-cat.png', url: 'https://cdn.test/attachments/1/cat.png', size: 10, mimeType: 'image/png', fileName: 'cat.png' },
      },
    });
  });

  test('several attachments are an album; only the first carries caption and reply', () => {
    const mapped = mapMessageCreate(
      dm({
        type: 19,
        content: 'both',
        attachments: [attachment('image/png', 'a.png'), attachment('video/mp4', 'b.mp4')],
        message_reference: { type: 0, message_id: '2999', channel_id: '1000' },
      }),
      context,
    );
    expect(mapped?.kind).toBe('album');
    if (mapped?.kind !== 'album') return;
    expect(mapped.albumId).toBe('3000');
    expect(mapped.items.map((i) => i.updateId)).toEqual(['3000:0', '3000:1']);
    expect(mapped.items[0]).toMatchObject({ content: { caption: 'both' }, replyTo: { messageId: '2999' } });
    expect(mapped.items[1]?.content).not.toHaveProperty('caption');
    expect(mapped.items[1]).not.toHaveProperty('replyTo');
  });

  test('a voice message is voice', () => {
    const mapped = mapMessageCreate(dm({ flags: 1 << 13, attachments: [attachment('audio/ogg', 'voice-message.ogg')] }), context);
    expect(mapped).toMatchObject({ content: { kind: 'media', media: 'voice' } });
  });

  test('stickers: images are media, Lottie is its name as text', () => {
    const png = mapMessageCreate(dm({ sticker_items: [{ id: '55', name: 'wave', format_type: StickerFormatType.PNG }] }), context);
    expect(png).toMatchObject({
      content: { kind: 'media', media: 'sticker', file: { fileId: '55', url: 'https://cdn.test/stickers/55.png', mimeType: 'image/png' } },
    });
    const lottie = mapMessageCreate(dm({ sticker_items: [{ id: '56', name: 'dance', format_type: StickerFormatType.Lottie }] }), context);
    expect(lottie).toMatchObject({ content: { kind: 'text', text: '[Sticker: dance]' } });
  });

  test('a poll becomes a core poll', () => {
    const mapped = mapMessageCreate(
      dm({
        poll: {
          question: { text: 'Tea?' },
          answers: [
            { answer_id: 1, poll_media: { text: 'yes' } },
            { answer_id: 2, poll_media: { text: 'no' } },
          ],
          expiry: '2026-01-02T00:00:00Z',
          allow_multiselect: false,
          layout_type: 1,
        },
      }),
      context,
    );
    expect(mapped).toMatchObject({ content: { kind: 'poll', question: 'Tea?', options: ['yes', 'no'] } });
  });

  test('a forwarded message relays what was forwarded, not a reply', () => {
    const mapped = mapMessageCreate(
      dm({
        message_reference: { type: 1, message_id: '1', channel_id: '5' },
        message_snapshots: [
          {
            message: {
              content: 'forwarded text',
              attachments: [],
              components: [],
              edited_timestamp: null,
              embeds: [],
              mention_roles: [],
              mentions: [],
              timestamp: '2026-01-01T00:00:00Z',
              type: 0,
            },
          },
        ],
      }),
      context,
    );
    expect(mapped).toMatchObject({ content: { kind: 'text', text: 'forwarded text' } });
    expect(mapped).not.toHaveProperty('replyTo');
  });

  test('known commands typed as text are commands; other slashes are text', () => {
    expect(mapMessageCreate(dm({ content: '/FIND  music lang:en ' }), context)).toMatchObject({ kind: 'command', name: 'find', args: 'music lang:en' });
    expect(mapMessageCreate(dm({ content: '/mod ban 42' }), context)).toMatchObject({ kind: 'command', name: 'mod', args: 'ban 42' });
    expect(mapMessageCreate(dm({ content: '/shrug' }), context)).toMatchObject({ kind: 'message' });
  });

  test('nothing relayable is reported as unsupported', () => {
    expect(mapMessageCreate(dm(), context)).toMatchObject({ content: { kind: 'unsupported' } });
  });
});

describe('mapMessageUpdate and mapMessageDelete', () => {
  test('an edit carries the new content and an update id per edit', () => {
    const edit = mapMessageUpdate(dm({ content: 'fixed', edited_timestamp: '2026-01-01T00:01:00Z' }), context);
    expect(edit).toMatchObject({ kind: 'edit', updateId: 'edit:3000:2026-01-01T00:01:00Z', content: { kind: 'text', text: 'fixed' } });
  });

  test('an update without an edit (a link preview) is no edit', () => {
    expect(mapMessageUpdate(dm({ content: 'https://example.com', edited_timestamp: null }), context)).toBeNull();
  });

  test('a delete names the message and the user whose DM it was', () => {
    expect(mapMessageDelete({ id: '3000', channel_id: '1000' }, '2000', context.receivedAt)).toEqual({
      kind: 'delete',
      userRef: { platform: 'discord', externalId: '2000' },
      updateId: 'delete:3000',
      receivedAt: context.receivedAt,
      ref: { platform: 'discord', chatId: '1000', messageId: '3000' },
    });
  });
});
