import { describe, expect, test } from 'vitest';
import { MediaResolver, outgoingFileName } from '../../../src/bots/discord/media-resolver.js';
import type { Log } from '../../../src/core/index.js';

const silent: Log = { trace: () => {}, debug: () => {}, info: () => {}, warn: () => {}, error: () => {}, child: () => silent };

describe('outgoingFileName', () => {
  test('photos, videos and voice notes travel under a neutral name', () => {
    expect(outgoingFileName('photo', 'image/png', 'Screenshot_alice_w_2026.png')).toBe('photo.png');
    expect(outgoingFileName('voice', 'audio/ogg', undefined)).toBe('voice-message.ogg');
    expect(outgoingFileName('video_note', 'video/mp4', 'x')).toBe('video-note.mp4');
  });

  test('documents keep their name, without folders or odd characters, and always have an extension', () => {
    expect(outgoingFileName('document', 'application/pdf', '../../etc/Report Q1.pdf')).toBe('Report Q1.pdf');
    expect(outgoingFileName('document', 'application/pdf', 'notes')).toBe('notes.pdf');
    expect(outgoingFileName('document', 'application/x-unknown', 'a<b>')).toBe('a_b_.bin');
  });
});

describe('MediaResolver', () => {
  const resolver = new MediaResolver({
    limitBytes: 100,
    fetchTimeoutMs: 100,
    log: silent,
    fileFetcher: (file) => Promise.resolve(file.fileId === 'tg1' ? { data: Buffer.from('bytes'), fileName: 'x.jpg', mimeType: 'image/jpeg' } : null),
  });

  test('a known size over the limit is not downloaded; only Discord files are offered as a link', async () => {
    await expect(resolver.resolve('video', { platform: 'discord', fileId: '1', url: 'https://cdn.test/v.mp4', size: 500 })).resolves.toEqual({
      kind: 'too_large',
      size: 500,
      link: 'https://cdn.test/v.mp4',
    });
    // A Telegram file url carries the bot token: never shown to anyone.
    await expect(resolver.resolve('video', { platform: 'telegram', fileId: '2', url: 'https://api.telegram.org/file/botSECRET/v.mp4', size: 500 })).resolves.toEqual({
      kind: 'too_large',
      size: 500,
    });
  });

  test('files from other platforms come from the fetcher; nothing to fetch is unavailable', async () => {
    await expect(resolver.resolve('photo', { platform: 'telegram', fileId: 'tg1' })).resolves.toMatchObject({
      kind: 'file',
      file: { name: 'photo.jpg', contentType: 'image/jpeg' },
    });
    await expect(resolver.resolve('photo', { platform: 'telegram', fileId: 'tg2' })).resolves.toEqual({ kind: 'unavailable' });
  });
});
