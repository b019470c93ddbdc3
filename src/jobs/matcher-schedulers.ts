import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { Log } from '../core/index.js';
import type { Matchmaker } from '../matcher/index.js';

const QUEUE = 'matcher';
export const REBALANCE_SCHEDULER = 'matcher-rebalance';
export const HOUSEKEEPING_SCHEDULER = 'matcher-housekeeping';

/**
 * BullMQ job schedulers for the matcher's slow work: rebalancing every 2.5 s (search
 * timeouts with the "nobody found" notice, mirror refresh, bucket census) and housekeeping
 * every minute (change-log trim, expired bans, expired claims). The 100 ms window tick is not
 * here: measured, BullMQ's `every: 100` slips a whole interval now and then (p99 gap 202 ms
 * against 104 ms for the in-process loop), which would eat the time-to-match budget, so
 * windows run in-process under a Redis lease (see src/matcher/service.ts).
 */
export class MatcherSchedulers {
  private readonly queue: Queue;
  private worker: Worker | undefined;

  constructor(
    private readonly deps: {
      readonly connection: ConnectionOptions;
      /** REDIS_PREFIX, used as BullMQ's key prefix. */
      readonly prefix: string;
      readonly matcher: Pick<Matchmaker, 'rebalance' | 'housekeep'>;
      readonly log: Log;
      /** Default 2500 (the issue asks for every 2–3 s). */
      readonly rebalanceEveryMs?: number;
      /** Default 60000. */
      readonly housekeepingEveryMs?: number;
    },
  ) {
    this.queue = new Queue(QUEUE, { connection: deps.connection, prefix: deps.prefix });
  }

  /** Upserts both schedulers (idempotent: every process may call it) and starts a worker. */
  async start(): Promise<void> {
    const opts = { removeOnComplete: true, removeOnFail: 100 };
    await this.queue.upsertJobScheduler(
      REBALANCE_SCHEDULER,
      { every: this.deps.rebalanceEveryMs ?? 2500 },
      { name: 'rebalance', opts },
    );
    await this.queue.upsertJobScheduler(
      HOUSEKEEPING_SCHEDULER,
      { every: this.deps.housekeepingEveryMs ?? 60_000 },
      { name: 'housekeeping', opts },
    );
    this.worker = new Worker(
      QUEUE,
      async (job) => {
        if (job.name === 'rebalance') {
          const r = await this.deps.matcher.rebalance();
          return { expired: r.expired.length, waiting: r.waiting, buckets: r.buckets };
        }
        if (job.name === 'housekeeping') return this.deps.matcher.housekeep();
        throw new Error(`unknown matcher job ${job.name}`);
      },
      { connection: this.deps.connection, prefix: this.deps.prefix },
    );
    this.worker.on('failed', (job, err) => this.deps.log.error({ err, job: job?.name }, 'matcher job failed'));
  }

  /** Stops this process's worker; the schedulers stay for the other processes. */
  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }

  /** Removes both schedulers (tests, decommissioning). */
  async remove(): Promise<void> {
    await this.queue.removeJobScheduler(REBALANCE_SCHEDULER);
    await this.queue.removeJobScheduler(HOUSEKEEPING_SCHEDULER);
  }
}
