import type { Redis } from 'ioredis';
import type { UserId } from '../core/index.js';

export type FloodVerdict = 'ok' | 'over_first' | 'over';

/**
 * Per-user message counter in fixed windows. The first message over the limit in a
 * window says "over_first" so the sender is told to slow down exactly once.
 */
export class FloodControl {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly max: number,
    private readonly windowS: number,
  ) {}

  async hit(userId: UserId): Promise<FloodVerdict> {
    const key = `${this.prefix}:flood:${userId}`;
    // One key: INCR and EXPIRE NX in a MULTI are atomic enough, no script needed.
    const result = await this.redis.multi().incr(key).expire(key, this.windowS, 'NX').exec();
    const count = Number(result?.[0]?.[1] ?? 0);
    if (count <= this.max) return 'ok';
    return count === this.max + 1 ? 'over_first' : 'over';
  }
}
