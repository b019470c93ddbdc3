import { describe, expect, it } from 'vitest';
import { KeyedQueue } from '../../../src/core/index.js';
import { Pacer } from '../../../src/relay/pacer.js';

describe('Pacer', () => {
  it('lets a burst through, then paces to the per-chat rate', async () => {
    const pacer = new Pacer({ global: {}, perChat: { telegram: { perSecond: 20, burst: 3 } } });
    const start = performance.now();
    for (let i = 0; i < 3; i++) await pacer.acquire('telegram', 'c1');
    expect(performance.now() - start).toBeLessThan(30);
    for (let i = 0; i < 4; i++) await pacer.acquire('telegram', 'c1');
    // 4 more tokens at 20/s take about 200 ms.
    expect(performance.now() - start).toBeGreaterThanOrEqual(150);
    // Another chat is not slowed by c1.
    const other = performance.now();
    await pacer.acquire('telegram', 'c2');
    expect(performance.now() - other).toBeLessThan(30);
  });

  it('holds a chat for retry_after', async () => {
    const pacer = new Pacer({ global: {}, perChat: { telegram: { perSecond: 100, burst: 10 } } });
    pacer.penalize('telegram', 'c1', 120);
    const start = performance.now();
    await pacer.acquire('telegram', 'c1');
    expect(performance.now() - start).toBeGreaterThanOrEqual(100);
  });
});

describe('KeyedQueue', () => {
  it('runs one key in order and keys in parallel', async () => {
    const q = new KeyedQueue();
    const order: string[] = [];
    const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
    void q.run('a', async () => {
      await wait(30);
      order.push('a1');
    });
    void q.run('a', async () => {
      order.push('a2');
      return Promise.resolve();
    });
    void q.run('b', async () => {
      order.push('b1');
      return Promise.resolve();
    });
    await q.idle();
    expect(order).toEqual(['b1', 'a1', 'a2']);
  });

  it('keeps going after a task fails', async () => {
    const q = new KeyedQueue();
    await expect(q.run('a', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await q.run('a', () => Promise.resolve(2))).toBe(2);
  });
});
