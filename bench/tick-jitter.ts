/**
 * Window tick jitter: BullMQ job scheduler (upsertJobScheduler every N ms + Worker) against
 * the matcher's in-process loop (setTimeout with drift compensation, lease renewed every
 * tick), both against the real Redis. The matcher uses the in-process loop because of this
 * measurement (src/matcher/service.ts). Usage: npx tsx bench/tick-jitter.ts [--window 100]
 * [--duration 20]
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { Matchmaker } from '../src/matcher/service.js';
import { fmt, numberArg, parseArgs, summarize, type Summary } from './lib/stats.js';

const args = parseArgs(process.argv.slice(2));
const windowMs = numberArg(args, 'window', 100, 20, 1000);
const durationS = numberArg(args, 'duration', 20, 2, 600);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `bench:${randomUUID()}`;

async function bullmq(): Promise<number[]> {
  const connection = { url: redisUrl, maxRetriesPerRequest: null };
  const queue = new Queue('tick', { connection, prefix });
  const stamps: number[] = [];
  const worker = new Worker('tick', () => {
    stamps.push(performance.now());
    return Promise.resolve();
  }, { connection, prefix });
  await queue.upsertJobScheduler('window', { every: windowMs }, { name: 'window', opts: { removeOnComplete: true } });
  await new Promise((r) => setTimeout(r, durationS * 1000));
  await queue.removeJobScheduler('window');
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  return stamps.slice(2).map((t, i) => t - stamps[i + 1]!);
}

async function inProcess(): Promise<number[]> {
  const redis = new Redis(redisUrl);
  const matcher = new Matchmaker({
    redis,
    prefix,
    windowMs,
    sink: { onPair: () => Promise.resolve(), onSearchTimeout: () => Promise.resolve() },
  });
  matcher.start();
  await new Promise((r) => setTimeout(r, durationS * 1000));
  await matcher.stop();
  const intervals = matcher.metrics().tickIntervalsMs.slice(1);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  return intervals;
}

const row = (name: string, s: Summary) =>
  `| ${name} | ${s.n} | ${fmt(s.p50)} | ${fmt(s.p99)} | ${fmt(s.max)} | ${fmt(s.p99 - windowMs)} |`;

const bull = summarize(await bullmq());
const loop = summarize(await inProcess());
console.log(`\nwindow tick, target ${windowMs} ms, ${durationS} s each\n`);
console.log('| tick source | ticks | gap p50 ms | gap p99 ms | gap max ms | p99 − target |');
console.log('|---|---|---|---|---|---|');
console.log(row(`BullMQ upsertJobScheduler every ${windowMs}`, bull));
console.log(row('in-process loop + Redis lease', loop));
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(
  new URL('./results/tick-jitter.json', import.meta.url),
  JSON.stringify({ windowMs, durationS, bullmq: bull, inProcess: loop, at: new Date().toISOString() }, null, 2),
);
