import { describe, expect, test } from 'vitest';
import { escapePlain, splitText, toDiscordMarkdown } from '../../../src/bots/discord/markdown.js';

describe('toDiscordMarkdown', () => {
  test('plain text is escaped so it shows as written', () => {
    expect(toDiscordMarkdown('2*3*4 and snake_case')).toBe('2\\*3\\*4 and snake\\_case');
    expect(escapePlain('> not a quote\n# not a heading')).toBe('\\> not a quote\n\\# not a heading');
  });

  test('entities become markdown around escaped text', () => {
    expect(toDiscordMarkdown('bold and italic', [
      { type: 'bold', offset: 0, length: 4 },
      { type: 'italic', offset: 9, length: 6 },
    ])).toBe('**bold** and *italic*');
  });

  test('nested entities nest; markers hug the text, not surrounding spaces', () => {
    expect(toDiscordMarkdown('a big deal', [
      { type: 'bold', offset: 1, length: 9 },
      { type: 'underline', offset: 2, length: 3 },
    ])).toBe('a **__big__ deal**');
  });

  test('code keeps its content unescaped; links need a web url', () => {
    expect(toDiscordMarkdown('run a*b now', [{ type: 'code', offset: 4, length: 3 }])).toBe('run `a*b` now');
    expect(toDiscordMarkdown('x', [{ type: 'pre', offset: 0, length: 1, language: 'js' }])).toBe('```js\nx\n```');
    expect(toDiscordMarkdown('site', [{ type: 'text_link', offset: 0, length: 4, url: 'https://example.com' }])).toBe(
      '[site](https://example.com)',
    );
    expect(toDiscordMarkdown('site', [{ type: 'text_link', offset: 0, length: 4, url: 'javascript:alert(1)' }])).toBe('site');
  });

  test('a block quote starts on its own line and quotes each line', () => {
    expect(toDiscordMarkdown('said: one\ntwo', [{ type: 'blockquote', offset: 6, length: 7 }])).toBe('said: \n> one\n> two');
  });

  test('spoilers and strikethrough', () => {
    expect(toDiscordMarkdown('a b', [
      { type: 'spoiler', offset: 0, length: 1 },
      { type: 'strikethrough', offset: 2, length: 1 },
    ])).toBe('||a|| ~~b~~');
  });
});

describe('splitText', () => {
  test('short text is one piece', () => {
    expect(splitText('hello', 2000)).toEqual(['hello']);
  });

  test('prefers line breaks, then spaces, and never exceeds the limit', () => {
    const text = `${'a'.repeat(15)}\n${'b'.repeat(15)} ${'c'.repeat(15)}`;
    const pieces = splitText(text, 20);
    expect(pieces).toEqual(['a'.repeat(15), 'b'.repeat(15), 'c'.repeat(15)]);
  });

  test('a long word is cut hard, without splitting a surrogate pair', () => {
    const pieces = splitText(`${'x'.repeat(9)}😀${'y'.repeat(5)}`, 10);
    expect(pieces.every((p) => p.length <= 10)).toBe(true);
    expect(pieces.join('')).toBe(`${'x'.repeat(9)}😀${'y'.repeat(5)}`);
    expect(pieces[0]).toBe('x'.repeat(9));
  });
});
