import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { Log, MessageRepository } from '../core/index.js';

const QUEUE = 'retention';
const DAY_MS = 24 * 60 * 60 * 1000;

/** Daily purge of message content older than RETENTION_DAYS; session metadata stays. */
export class RetentionPurge {
  private readonly queue: Queue;
  private worker: Worker | undefined;

  constructor(
    private readonly deps: {
      readonly connection: ConnectionOptions;
      readonly prefix: string;
      readonly retentionDays: number;
      readonly messages: MessageRepository;
      readonly log: Log;
      readonly now?: () => Date;
    },
  ) {
    this.queue = new Queue(QUEUE, { connection: deps.connection, prefix: deps.prefix });
  }

  async start(): Promise<void> {
    // upsertJobScheduler is idempotent, so every process can call it at start.
    await this.queue.upsertJobScheduler('daily-purge', { pattern: '17 3 * * *' }, { name: 'purge' });
    this.worker = new Worker(QUEUE, () => this.purgeNow().then(() => undefined), {
      connection: this.deps.connection,
      prefix: this.deps.prefix,
    });
    this.worker.on('failed', (_job, err) => this.deps.log.error({ err }, 'retention purge failed'));
  }

  async purgeNow(): Promise<number> {
    const now = this.deps.now?.() ?? new Date();
    const cutoff = new Date(now.getTime() - this.deps.retentionDays * DAY_MS);
    const purged = await this.deps.messages.purgeContentBefore(cutoff);
    this.deps.log.info({ purged, cutoff: cutoff.toISOString() }, 'message content purged');
    return purged;
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }
}
