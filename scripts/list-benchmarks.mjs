#!/usr/bin/env node
// `npm run bench`: lists the benchmarks under bench/ and how to run them. Each benchmark
// compares against a baseline in the same run, prints a table and writes bench/results/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

const benchmarks = [
  {
    name: 'matcher',
    run: 'npm run bench:matcher -- [--rate 2000] [--duration 20] [--pool 10000] [--window 100] [--seed 1] [--throughput 10] [--batch 2000]',
    file: 'bench/matcher.ts',
    what: 'ES-MM vs FIFO on one arrival trace against the real Redis: pairs/s, time to match at a 10,000-ticket pool, interest similarity, integrity, Redis memory per ticket',
    writes: 'bench/results/matcher.json, bench/results/matcher-time-to-match.svg',
  },
  {
    name: 'tick-jitter',
    run: 'npx tsx bench/tick-jitter.ts [--window 100] [--duration 20]',
    file: 'bench/tick-jitter.ts',
    what: 'window tick gaps: BullMQ job scheduler (every N ms) vs the in-process loop with a Redis lease',
    writes: 'bench/results/tick-jitter.json',
  },
];

console.log('Benchmarks (need Redis at REDIS_URL, default redis://127.0.0.1:6379):\n');
for (const b of benchmarks) {
  const missing = existsSync(`${root}/${b.file}`) ? '' : ' (missing!)';
  console.log(`  ${b.name}${missing}\n    ${b.what}\n    run:    ${b.run}\n    writes: ${b.writes}\n`);
}
