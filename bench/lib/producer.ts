/**
 * The benchmark's arrival producer, a child process so that enqueueing (ticket validation,
 * Redis round trips) does not run on the matcher's CPU and pollute its window timings.
 * argv: <redis prefix> <trace options as JSON>. Waits for "start" from the parent, replays
 * the trace's arrivals at their times, reports { done, enqueued, lagMs } and exits.
 */
import { Redis } from 'ioredis';
import type { FindRequest } from '../../src/matcher/ports.js';
import { Matchmaker } from '../../src/matcher/service.js';
import { summarize } from './stats.js';
import { buildTrace, type TraceOptions } from './trace.js';

const [prefix, json] = process.argv.slice(2);
if (!prefix || !json || !process.send) throw new Error('producer.ts is started by bench/matcher.ts');
const trace = buildTrace(JSON.parse(json) as TraceOptions);
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const noop = () => Promise.resolve();
const producer = new Matchmaker({ redis, prefix, sink: { onPair: noop, onSearchTimeout: noop } });

process.once('message', () => void run());
process.send({ ready: true });

async function run(): Promise<void> {
  const t0 = performance.now();
  const lag: number[] = [];
  let next = 0;
  const { arrivals } = trace;
  while (next < arrivals.length) {
    const elapsed = performance.now() - t0;
    const due: FindRequest[] = [];
    while (next < arrivals.length && arrivals[next]!.atMs <= elapsed) {
      lag.push(elapsed - arrivals[next]!.atMs);
      due.push(arrivals[next++]!.request);
    }
    if (due.length > 0) {
      await Promise.all(
        due.map(async (r) => {
          const res = await producer.enqueue(r);
          if (res.status !== 'queued') throw new Error(`enqueue ${r.userId}: ${res.status}`);
        }),
      );
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  process.send!({ done: true, enqueued: arrivals.length, lagMs: summarize(lag) }, () => {
    void redis.quit().finally(() => process.exit(0));
  });
}
