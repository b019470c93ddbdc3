import { Client, GatewayIntentBits, Options, Partials } from 'discord.js';
import { noMentions } from './message-sender.js';

export interface ClientSettings {
  readonly apiRoot?: string;
  readonly cdnRoot?: string;
}

/**
 * The discord.js client. Intents: Guilds (server installs and command context) and
 * DirectMessages. MessageContent is not requested: it is privileged and Discord sends the
 * content of DMs with the app without it. DM channels are never announced by the gateway,
 * so the Channel partial is what lets DM events through; Message covers uncached messages.
 */
export function createDiscordClient(settings: ClientSettings): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages],
    partials: [Partials.Channel, Partials.Message],
    rest: {
      ...(settings.apiRoot !== undefined && { api: settings.apiRoot }),
      ...(settings.cdnRoot !== undefined && { cdn: settings.cdnRoot, mediaProxy: settings.cdnRoot }),
    },
    // Messages are read from gateway payloads, never from discord.js's cache: keep none.
    makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 0, DMMessageManager: 0 }),
    allowedMentions: noMentions(),
  });
}
