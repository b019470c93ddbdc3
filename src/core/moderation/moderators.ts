import type { ModeratorDirectory } from './ports.js';
import type { UserRef } from '../types.js';

export type ModeratorRoleCheck = (ref: UserRef) => Promise<boolean>;

/** Used when no platform role makes moderators (DISCORD_MOD_GUILD_ID/ROLE_ID unset). */
export const noModeratorRole: ModeratorRoleCheck = () => Promise.resolve(false);

/**
 * Moderators are the MODERATORS list (platform + platform user id), plus whoever `roleCheck`
 * accepts. The Discord adapter supplies the role check (members of DISCORD_MOD_ROLE_ID in
 * DISCORD_MOD_GUILD_ID, see DiscordTransport.isModerator); app.ts wires it from any transport
 * that can tell. Nothing is cached here, so removing someone takes effect on their next call.
 */
export class ConfiguredModerators implements ModeratorDirectory {
  private readonly listed: ReadonlySet<string>;
  private readonly refs: readonly UserRef[];

  constructor(
    list: readonly UserRef[],
    private readonly roleCheck: ModeratorRoleCheck = noModeratorRole,
  ) {
    this.refs = list.map((r) => ({ platform: r.platform, externalId: r.externalId }));
    this.listed = new Set(this.refs.map(key));
  }

  async isModerator(ref: UserRef): Promise<boolean> {
    if (this.listed.has(key(ref))) return true;
    try {
      return await this.roleCheck(ref);
    } catch {
      // Fail closed: an unreachable role service must not hand out moderator powers.
      return false;
    }
  }

  notifiable(): readonly UserRef[] {
    return this.refs;
  }
}

const key = (ref: UserRef): string => `${ref.platform}:${ref.externalId}`;
