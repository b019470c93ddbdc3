import type { Log } from '../../core/index.js';
import type { FileFetcher } from './file-fetcher.js';
import type { DiscordModeration } from './moderator-roles.js';

export interface DiscordTuning {
  /** How long a DM interaction waits for the core's first notice before acknowledging (Discord allows 3 s). Default 1200. */
  readonly interactionAckMs?: number;
  /** How long after an interaction the core's notices are its reply and follow-ups. Default 5000. */
  readonly interactionWindowMs?: number;
  /** Largest upload per message; bots get 10 MiB unless a server is boosted. */
  readonly uploadLimitBytes?: number;
  /** Timeout for downloading a file that is relayed. Default 30000. */
  readonly fileFetchTimeoutMs?: number;
  /** How long a moderator-role answer is reused. Default 60000. */
  readonly moderatorCacheMs?: number;
}

export interface DiscordTransportOptions {
  /** DISCORD_TOKEN; sent only to Discord, never logged. */
  readonly token: string;
  /** DISCORD_APPLICATION_ID */
  readonly applicationId: string;
  /** DISCORD_API_ROOT: REST base without a version (discord.js adds /v10); Discord's when unset. */
  readonly apiRoot?: string;
  /** CDN base for sticker images; Discord's when unset (tests point it at the fake). */
  readonly cdnRoot?: string;
  readonly log: Log;
  /** DISCORD_MOD_GUILD_ID + DISCORD_MOD_ROLE_ID: holders of the role are moderators. */
  readonly moderation?: DiscordModeration;
  /** Supplies bytes of files from other platforms that have no url (main.ts wires the Telegram adapter). */
  readonly fileFetcher?: FileFetcher;
  readonly tuning?: DiscordTuning;
}

export const DEFAULT_TUNING: Required<DiscordTuning> = {
  interactionAckMs: 1200,
  interactionWindowMs: 5000,
  uploadLimitBytes: 10 * 1024 * 1024,
  fileFetchTimeoutMs: 30_000,
  moderatorCacheMs: 60_000,
};
