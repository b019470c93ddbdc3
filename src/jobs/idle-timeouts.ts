import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Log, SessionControl, SessionId } from '../core/index.js';
import type { ActivityTracker } from '../relay/session-service.js';

interface IdleJob {
  readonly sessionId: SessionId;
}

const QUEUE = 'idle-timeouts';

/**
 * Ends chats nobody wrote in for IDLE_TIMEOUT_S. Re-arming a BullMQ job on every message
 * would cost a queue write per relayed message, so activity is a plain Redis timestamp
 * and one delayed job per session checks it when due, re-scheduling itself if the chat
 * was active meanwhile.
 */
export class IdleTimeouts implements ActivityTracker {
  private readonly queue: Queue<IdleJob>;
  private worker: Worker<IdleJob> | undefined;

  constructor(
    private readonly deps: {
      readonly redis: Redis;
      readonly connection: ConnectionOptions;
      readonly prefix: string;
      readonly idleMs: number;
      readonly log: Log;
      readonly now?: () => number;
    },
  ) {
    this.queue = new Queue<IdleJob>(QUEUE, { connection: deps.connection, prefix: deps.prefix });
  }

  private key(sessionId: SessionId): string {
    return `${this.deps.prefix}:activity:${sessionId}`;
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  async started(sessionId: SessionId): Promise<void> {
    const at = this.now();
    await this.deps.redis.set(this.key(sessionId), String(at), 'PX', this.deps.idleMs * 4);
    await this.schedule(sessionId, at, this.deps.idleMs);
  }

  async touched(sessionId: SessionId): Promise<void> {
    await this.deps.redis.set(this.key(sessionId), String(this.now()), 'PX', this.deps.idleMs * 4);
  }

  async ended(sessionId: SessionId): Promise<void> {
    await this.deps.redis.del(this.key(sessionId));
  }

  /** Starts processing due checks; `control` ends the idle chats. */
  startWorker(control: SessionControl): void {
    this.worker = new Worker<IdleJob>(QUEUE, (job) => this.check(job, control), {
      connection: this.deps.connection,
      prefix: this.deps.prefix,
      concurrency: 4,
    });
    this.worker.on('failed', (job, err) => this.deps.log.error({ err, sessionId: job?.data.sessionId }, 'idle check failed'));
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }

  private async schedule(sessionId: SessionId, from: number, delay: number): Promise<void> {
    // Colons are not allowed in custom BullMQ job ids; the timestamp keeps re-arms distinct.
    await this.queue.add('check', { sessionId }, { delay, jobId: `idle-${sessionId}-${from}`, removeOnComplete: true, removeOnFail: 100 });
  }

  private async check(job: Job<IdleJob>, control: SessionControl): Promise<void> {
    const { sessionId } = job.data;
    const raw = await this.deps.redis.get(this.key(sessionId));
    const now = this.now();
    // No timestamp: the chat already ended. (A Redis that lost it lost this job too; the
    // session service re-arms when it rebuilds the pair.)
    if (raw === null) return;
    const last = Number(raw);
    const due = last + this.deps.idleMs;
    if (now >= due) {
      this.deps.log.info({ sessionId }, 'chat idle; ending');
      await control.end(sessionId, 'idle', null);
      return;
    }
    await this.schedule(sessionId, last, due - now);
  }
}
