import { Routes, type REST, type RESTGetAPIGuildMemberResult } from 'discord.js';
import type { Log } from '../../core/index.js';
import { discordCode } from './delivery-errors.js';
import { LruMap } from '../../core/lru-map.js';

export interface DiscordModeration {
  /** DISCORD_MOD_GUILD_ID: the server whose role makes moderators. */
  readonly guildId: string;
  /** DISCORD_MOD_ROLE_ID */
  readonly roleId: string;
}

/** Codes meaning "not a member of that server": an answer, not a failure. */
const NOT_A_MEMBER = new Set<number | string>([10007, 10013, 10004]);

/**
 * Whether a Discord user holds the moderator role in the moderation server. Asked over REST
 * (no privileged members intent needed) and remembered briefly, since moderators use several
 * commands in a row and a removed role should stop working within a minute.
 */
export class ModeratorRoles {
  private readonly cache = new LruMap<string, { readonly value: boolean; readonly until: number }>(10_000);

  constructor(
    private readonly rest: REST,
    private readonly moderation: DiscordModeration,
    private readonly cacheMs: number,
    private readonly log: Log,
  ) {}

  async isModerator(userId: string): Promise<boolean> {
    const cached = this.cache.get(userId);
    if (cached && cached.until > Date.now()) return cached.value;
    let value = false;
    try {
      const member = (await this.rest.get(Routes.guildMember(this.moderation.guildId, userId))) as RESTGetAPIGuildMemberResult;
      value = member.roles.includes(this.moderation.roleId);
    } catch (error) {
      const code = discordCode(error);
      if (code === undefined || !NOT_A_MEMBER.has(code)) {
        // Fail closed, and do not remember: the next command asks again.
        this.log.warn({ code }, 'moderator role check failed');
        return false;
      }
    }
    this.cache.set(userId, { value, until: Date.now() + this.cacheMs });
    return value;
  }
}
