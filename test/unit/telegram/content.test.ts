import { describe, expect, it } from 'vitest';
import { contentOf } from '../../../src/bots/telegram/content.js';
import type { TgMessage } from '../../../src/bots/telegram/update-schema.js';

const base = { message_id: 1, date: 1, chat: { id: 5, type: 'private' } };
const msg = (extra: Record<string, unknown>): TgMessage => ({ ...base, ...extra });
const file = (id: string, extra: Record<string, unknown> = {}) => ({ file_id: id, file_unique_id: `u${id}`, ...extra });

describe('contentOf', () => {
  it('picks the largest photo size', () => {
    const c = contentOf(
      msg({
        photo: [file('s', { width: 90, height: 90, file_size: 10 }), file('l', { width: 1280, height: 720, file_size: 900 }), file('m', { width: 320, height: 320 })],
      }),
    );
    expect(c).toMatchObject({ kind: 'media', media: 'photo', file: { platform: 'telegram', fileId: 'l', size: 900 } });
  });

  it('prefers animation over the document clients send alongside it', () => {
    expect(contentOf(msg({ animation: file('a'), document: file('d') }))).toMatchObject({ media: 'animation', file: { fileId: 'a' } });
  });

  it('keeps caption and caption entities, and file metadata', () => {
    expect(
      contentOf(
        msg({
          document: file('d', { file_name: 'a.pdf', mime_type: 'application/pdf', file_size: 3 }),
          caption: 'read',
          caption_entities: [{ type: 'bold', offset: 0, length: 4 }, { type: 'mention', offset: 0, length: 1 }],
        }),
      ),
    ).toEqual({
      kind: 'media',
      media: 'document',
      file: { platform: 'telegram', fileId: 'd', size: 3, mimeType: 'application/pdf', fileName: 'a.pdf' },
      caption: 'read',
      entities: [{ type: 'bold', offset: 0, length: 4 }],
    });
  });

  it('never puts a download url (it would contain the bot token) into a file handle', () => {
    const c = contentOf(msg({ voice: file('v') }));
    expect(c.kind === 'media' && 'url' in c.file).toBe(false);
  });

  it('maps venue as its location, contact and poll', () => {
    expect(contentOf(msg({ venue: { location: { latitude: 1, longitude: 2 }, title: 'x' } }))).toEqual({ kind: 'location', latitude: 1, longitude: 2 });
    expect(contentOf(msg({ contact: { phone_number: '+1', first_name: 'A' } }))).toEqual({ kind: 'contact', phoneNumber: '+1', firstName: 'A' });
    expect(contentOf(msg({ poll: { question: 'q', options: [{ text: 'a' }, { text: 'b' }] } }))).toEqual({
      kind: 'poll',
      question: 'q',
      options: ['a', 'b'],
    });
  });

  it.each([
    [{ dice: { emoji: '🎲', value: 1 } }, 'a dice roll'],
    [{ game: { title: 'g' } }, 'a game'],
    [{ invoice: { title: 'i' } }, 'an invoice'],
    [{ paid_media: { star_count: 1 } }, 'paid media'],
    [{ giveaway: {} }, 'a giveaway'],
    [{ story: { id: 1 } }, 'a story'],
    [{ new_chat_members: [] }, 'a service message'],
    [{ pinned_message: {} }, 'a pinned message'],
    [{ something_new: true }, 'an unknown kind of message'],
  ])('%j is unsupported', (extra, description) => {
    expect(contentOf(msg(extra))).toEqual({ kind: 'unsupported', description });
  });
});
