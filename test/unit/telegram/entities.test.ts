import { describe, expect, it } from 'vitest';
import { entitiesFromTelegram, entitiesToTelegram } from '../../../src/bots/telegram/entities.js';

describe('entity mapping', () => {
  it('keeps formatting, drops what clients detect themselves or what names third parties', () => {
    expect(
      entitiesFromTelegram([
        { type: 'bold', offset: 0, length: 2 },
        { type: 'italic', offset: 1, length: 1 },
        { type: 'underline', offset: 2, length: 1 },
        { type: 'strikethrough', offset: 3, length: 1 },
        { type: 'spoiler', offset: 4, length: 1 },
        { type: 'code', offset: 5, length: 1 },
        { type: 'pre', offset: 6, length: 1, language: 'ts' },
        { type: 'pre', offset: 7, length: 1 },
        { type: 'text_link', offset: 8, length: 1, url: 'https://e.org' },
        { type: 'blockquote', offset: 9, length: 1 },
        { type: 'expandable_blockquote', offset: 10, length: 1 },
        { type: 'mention', offset: 11, length: 1 },
        { type: 'hashtag', offset: 12, length: 1 },
        { type: 'cashtag', offset: 13, length: 1 },
        { type: 'bot_command', offset: 14, length: 1 },
        { type: 'url', offset: 15, length: 1 },
        { type: 'email', offset: 16, length: 1 },
        { type: 'phone_number', offset: 17, length: 1 },
        { type: 'text_mention', offset: 18, length: 1 },
        { type: 'custom_emoji', offset: 19, length: 2 },
        { type: 'text_link', offset: 21, length: 1 },
        { type: 'bold', offset: 22, length: 0 },
      ]),
    ).toEqual([
      { type: 'bold', offset: 0, length: 2 },
      { type: 'italic', offset: 1, length: 1 },
      { type: 'underline', offset: 2, length: 1 },
      { type: 'strikethrough', offset: 3, length: 1 },
      { type: 'spoiler', offset: 4, length: 1 },
      { type: 'code', offset: 5, length: 1 },
      { type: 'pre', offset: 6, length: 1, language: 'ts' },
      { type: 'pre', offset: 7, length: 1 },
      { type: 'text_link', offset: 8, length: 1, url: 'https://e.org' },
      { type: 'blockquote', offset: 9, length: 1 },
      { type: 'blockquote', offset: 10, length: 1 },
    ]);
    expect(entitiesFromTelegram(undefined)).toEqual([]);
  });

  it('writes core entities back in Telegram form', () => {
    expect(entitiesToTelegram(undefined)).toBeUndefined();
    expect(entitiesToTelegram([])).toBeUndefined();
    expect(
      entitiesToTelegram([
        { type: 'bold', offset: 0, length: 1 },
        { type: 'pre', offset: 1, length: 1, language: 'py' },
        { type: 'text_link', offset: 2, length: 1, url: 'https://e.org' },
        { type: 'text_link', offset: 3, length: 1 },
      ]),
    ).toEqual([
      { type: 'bold', offset: 0, length: 1 },
      { type: 'pre', offset: 1, length: 1, language: 'py' },
      { type: 'text_link', offset: 2, length: 1, url: 'https://e.org' },
    ]);
  });
});
