import { describe, expect, test } from 'vitest';
import { InteractionContextType } from 'discord.js';
import { isBotDm } from '../../../src/bots/discord/interaction-router.js';

describe('isBotDm', () => {
  test('the interaction context decides when Discord sends it', () => {
    expect(isBotDm({ context: InteractionContextType.BotDM, guildId: null })).toBe(true);
    expect(isBotDm({ context: InteractionContextType.Guild, guildId: '1' })).toBe(false);
    // A user-installed command used in someone else's DM: no guild, but not our DM either.
    expect(isBotDm({ context: InteractionContextType.PrivateChannel, guildId: null })).toBe(false);
  });

  test('without a context, no guild means the bot DM', () => {
    expect(isBotDm({ context: null, guildId: null })).toBe(true);
    expect(isBotDm({ context: null, guildId: '1' })).toBe(false);
  });
});
