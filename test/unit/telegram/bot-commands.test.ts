import { describe, expect, it } from 'vitest';
import { BOT_COMMANDS, MODERATOR_BOT_COMMANDS } from '../../../src/bots/telegram/bot-commands.js';
import { MODERATOR_COMMAND } from '../../../src/core/index.js';

describe('Telegram command menus', () => {
  it('the default menu never shows /mod; the moderator menu is the same plus /mod last', () => {
    expect(BOT_COMMANDS.map((c) => c.command)).not.toContain('mod');
    expect(MODERATOR_BOT_COMMANDS.slice(0, -1)).toEqual(BOT_COMMANDS);
    expect(MODERATOR_BOT_COMMANDS.at(-1)).toEqual({ command: 'mod', description: MODERATOR_COMMAND.description });
  });

  it('every entry is a command Telegram accepts', () => {
    for (const c of MODERATOR_BOT_COMMANDS) {
      expect(c.command).toMatch(/^[a-z0-9_]{1,32}$/);
      expect(c.description.length).toBeGreaterThanOrEqual(1);
      expect(c.description.length).toBeLessThanOrEqual(256);
    }
    expect(MODERATOR_BOT_COMMANDS.length).toBeLessThanOrEqual(100);
  });
});
