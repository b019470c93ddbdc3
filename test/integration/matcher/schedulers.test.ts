import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MatcherSchedulers } from '../../../src/jobs/matcher-schedulers.js';
import { Matchmaker } from '../../../src/matcher/service.js';
import { REDIS_URL, createTestRedis, type TestRedis } from '../../support/redis.js';
import { silentLog } from '../../support/log.js';
import { RecordingSink, find } from './helpers.js';

describe('BullMQ job schedulers for rebalancing and housekeeping', () => {
  let t: TestRedis;
  beforeEach(async () => {
    t = await createTestRedis();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('rebalance jobs time searches out with a notice; housekeeping runs too', async () => {
    const sink = new RecordingSink();
    let now = Date.now();
    const matcher = new Matchmaker({ redis: t.redis, prefix: t.prefix, sink, clock: () => now, searchTimeoutS: 1 });
    const user = find('lonely', { interests: ['rare'] });
    await matcher.enqueue(user);
    now += 1500;
    let housekept = 0;
    const schedulers = new MatcherSchedulers({
      connection: { url: REDIS_URL, maxRetriesPerRequest: null },
      prefix: t.prefix,
      matcher: {
        rebalance: () => matcher.rebalance(),
        housekeep: async () => {
          housekept++;
          return matcher.housekeep();
        },
      },
      log: silentLog,
      rebalanceEveryMs: 200,
      housekeepingEveryMs: 200,
    });
    await schedulers.start();
    try {
      for (let i = 0; i < 100 && (sink.timeouts.length === 0 || housekept === 0); i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(sink.timeouts).toEqual([user.userId]);
      expect(housekept).toBeGreaterThan(0);
      expect(await matcher.state(user.userId)).toBe('offline');
    } finally {
      await schedulers.remove();
      await schedulers.close();
    }
  });
});
