import { describe, expect, it } from 'vitest';
import { FrameBucket } from '../../../src/bots/web/rate-limit.js';

describe('per-connection frame bucket', () => {
  it('allows a burst, then the sustained rate', () => {
    let now = 0;
    const bucket = new FrameBucket(3, 2, () => now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    now += 499;
    expect(bucket.take()).toBe(false);
    now += 2;
    expect(bucket.take()).toBe(true);
    now += 10_000;
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
  });
});
