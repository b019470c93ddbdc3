import type { Redis } from 'ioredis';
import type { UpdateLedger } from '../core/index.js';

/** Remembers handled platform update ids for a day, so a redelivered update is relayed once. */
export class RedisUpdateLedger implements UpdateLedger {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlS = 86_400,
  ) {}

  async firstSeen(key: string): Promise<boolean> {
    const set = await this.redis.set(`${this.prefix}:upd:${key}`, '1', 'EX', this.ttlS, 'NX');
    return set === 'OK';
  }

  async forget(key: string): Promise<void> {
    await this.redis.del(`${this.prefix}:upd:${key}`);
  }
}
