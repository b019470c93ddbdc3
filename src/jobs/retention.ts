import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { Log, MessageRepository, ReportRepository } from '../core/index.js';

const QUEUE = 'retention';
const DAY_MS = 24 * 60 * 60 * 1000;

export interface PurgeResult {
  /** Message rows whose content was removed. */
  readonly messages: number;
  /** Closed reports whose snapshot was emptied. */
  readonly snapshots: number;
}

/**
 * Daily purge of message content older than RETENTION_DAYS, and of the snapshots of reports
 * closed longer ago than that; session metadata and the reports themselves stay.
 */
export class RetentionPurge {
  private readonly queue: Queue;
  private worker: Worker | undefined;

  constructor(
    private readonly deps: {
      readonly connection: ConnectionOptions;
      readonly prefix: string;
      readonly retentionDays: number;
      readonly messages: MessageRepository;
      readonly reports: Pick<ReportRepository, 'purgeClosedSnapshotsBefore'>;
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

  async purgeNow(): Promise<PurgeResult> {
    const now = this.deps.now?.() ?? new Date();
    const cutoff = new Date(now.getTime() - this.deps.retentionDays * DAY_MS);
    const messages = await this.deps.messages.purgeContentBefore(cutoff);
    const snapshots = await this.deps.reports.purgeClosedSnapshotsBefore(cutoff, now);
    this.deps.log.info({ messages, snapshots, cutoff: cutoff.toISOString() }, 'message content purged');
    return { messages, snapshots };
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }
}
