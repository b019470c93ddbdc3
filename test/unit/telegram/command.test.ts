import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/bots/telegram/command.js';

describe('parseCommand', () => {
  it.each([
    ['/find', { name: 'find', args: '' }],
    ['/find@EchoSoulBot a b', { name: 'find', args: 'a b' }],
    ['/find@echosoulbot', { name: 'find', args: '' }],
    ['/START  ref_42 ', { name: 'start', args: 'ref_42' }],
    ['/settings lang:en\nmusic', { name: 'settings', args: 'lang:en\nmusic' }],
    ['/deletemydata', { name: 'deletemydata', args: '' }],
  ])('%j is a command', (text, expected) => {
    expect(parseCommand(text, 'EchoSoulBot')).toEqual(expected);
  });

  it.each(['hello /find', '/find@OtherBot x', '/', '/ find', '/find-me', '//find', `/${'a'.repeat(33)}`])(
    '%j is not a command for this bot',
    (text) => {
      expect(parseCommand(text, 'EchoSoulBot')).toBeUndefined();
    },
  );
});
