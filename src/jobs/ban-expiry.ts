import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { BanScheduler, Log } from '../core/index.js';

interface ExpiryJob {
  readonly banId: string;
}

/** What runs when a ban is due: ModerationService.expireBan. */
export interface BanExpiryHandler {
  /** Returns a later time when the ban is not over yet (extended, or the job ran early). */
  expireBan(banId: string): Promise<{ readonly retryAt: Date } | null>;
}

const QUEUE = 'ban-expiry';

/**
 * Temporary bans end by themselves: Postgres stops counting a ban once `until` passes, and
 * one BullMQ delayed job per ban, due at `until`, lifts the matcher exclusion and tells the
 * user. Jobs are keyed by ban and end time, so re-arming after a restart does not duplicate.
 */
export class BanExpiry implements BanScheduler {
  private readonly queue: Queue<ExpiryJob>;
  private worker: Worker<ExpiryJob> | undefined;
  private handler: BanExpiryHandler | undefined;

  constructor(
    private readonly deps: {
      readonly connection: ConnectionOptions;
      /** REDIS_PREFIX, used as BullMQ's key prefix. */
      readonly prefix: string;
      readonly log: Log;
      /** The clock ban ends are measured on (the app's), so delays match what the core decided. */
      readonly now?: () => Date;
    },
  ) {
    this.queue = new Queue<ExpiryJob>(QUEUE, { connection: deps.connection, prefix: deps.prefix });
  }

  async schedule(banId: string, at: Date): Promise<void> {
    const delay = Math.max(0, at.getTime() - (this.deps.now?.() ?? new Date()).getTime());
    await this.queue.add(
      'expire',
      { banId },
      {
        delay,
        // Colons are not allowed in custom BullMQ job ids.
        jobId: `ban-${banId}-${at.getTime()}`,
        attempts: 5,
        backoff: { type: 'exponential', delay: 2000 },
        removeOnComplete: true,
        removeOnFail: 100,
      },
    );
  }

  /** Starts processing due expiries with `handler`. */
  start(handler: BanExpiryHandler): void {
    this.handler = handler;
    this.worker = new Worker<ExpiryJob>(QUEUE, (job: Job<ExpiryJob>) => this.expireNow(job.data.banId), {
      connection: this.deps.connection,
      prefix: this.deps.prefix,
    });
    this.worker.on('failed', (job, err) => this.deps.log.error({ err, banId: job?.data.banId }, 'ban expiry failed'));
  }

  /** The job's work, callable directly (tests move the clock and run it without waiting). */
  async expireNow(banId: string): Promise<void> {
    if (!this.handler) throw new Error('BanExpiry.start() was not called');
    const next = await this.handler.expireBan(banId);
    if (next) await this.schedule(banId, next.retryAt);
  }

  /** Delayed expiry jobs not run yet (tests, diagnostics). */
  async pending(): Promise<{ readonly banId: string; readonly dueAt: number }[]> {
    const jobs = await this.queue.getJobs(['delayed', 'waiting']);
    return jobs.filter((j): j is Job<ExpiryJob> => j !== undefined).map((j) => ({ banId: j.data.banId, dueAt: j.timestamp + (j.delay ?? 0) }));
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }
}
