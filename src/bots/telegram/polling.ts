import { setTimeout as sleep } from 'node:timers/promises';
import { DeliveryError } from '../../core/index.js';
import type { Log } from '../../core/index.js';
import type { BotApi } from './bot-api.js';
import { ALLOWED_UPDATES } from './update-schema.js';

export interface PollingOptions {
  readonly api: BotApi;
  readonly log: Log;
  /** getUpdates long-poll timeout in seconds (Telegram allows up to 50). */
  readonly timeoutS: number;
  /** How often to re-poll while an album is still being collected. */
  readonly holdBackPollMs: number;
  /** Handles one raw update; resolves once it is handled or buffered, never rejects. */
  readonly handle: (raw: unknown) => Promise<void>;
  /** update_id of the oldest update buffered but not yet handled by the core. */
  readonly oldestUnhandled: () => number | undefined;
}

const MAX_BACKOFF_MS = 30_000;

/**
 * Long polling with at-least-once semantics. Telegram forgets every update below the offset
 * of the next getUpdates call, so the offset only moves past an update after the core handled
 * it. Album items are buffered for a moment; while one is pending the offset stays at it and
 * later updates are fetched again and skipped by the adapter's duplicate filter, so a crash
 * in that window loses nothing.
 */
export class Poller {
  private readonly abort = new AbortController();
  private offset = 0;
  private confirmed = 0;
  private running: Promise<void> | undefined;

  constructor(private readonly o: PollingOptions) {}

  start(): void {
    this.running ??= this.loop();
  }

  /** Ends the current long poll, waits for the batch in hand, and confirms it to Telegram. */
  async stop(beforeConfirm: () => Promise<void>): Promise<void> {
    this.abort.abort();
    await this.running;
    await beforeConfirm();
    const offset = this.nextOffset();
    if (offset > this.confirmed) {
      try {
        await this.o.api.call('getUpdates', { offset, limit: 1, timeout: 0 });
      } catch (e) {
        // Not fatal: Telegram re-delivers, and the core drops updates it already recorded.
        this.o.log.warn({ err: describe(e) }, 'telegram: could not confirm the last updates');
      }
    }
  }

  private nextOffset(): number {
    const held = this.o.oldestUnhandled();
    return held !== undefined ? Math.min(held, this.offset) : this.offset;
  }

  private async loop(): Promise<void> {
    const { api, log } = this.o;
    const signal = this.abort.signal;
    let failures = 0;
    while (!signal.aborted) {
      const holding = this.o.oldestUnhandled() !== undefined;
      try {
        if (holding) await sleep(this.o.holdBackPollMs, undefined, { signal });
        const offset = this.nextOffset();
        const timeout = holding ? 0 : this.o.timeoutS;
        const updates = await api.call(
          'getUpdates',
          { offset, timeout, allowed_updates: [...ALLOWED_UPDATES] },
          { signal, timeoutMs: (timeout + 15) * 1000 },
        );
        this.confirmed = offset;
        failures = 0;
        let advanced = updates.length === 0;
        for (const update of updates) {
          await this.o.handle(update);
          const id: unknown = (update as { update_id?: unknown }).update_id;
          if (typeof id === 'number' && Number.isSafeInteger(id) && id + 1 > this.offset) {
            this.offset = id + 1;
            advanced = true;
          }
        }
        // A batch without one usable update_id cannot be confirmed; do not spin on it.
        if (!advanced && !holding) throw new Error('getUpdates returned updates without a usable update_id');
      } catch (e) {
        if (signal.aborted) return;
        failures += 1;
        const wait =
          e instanceof DeliveryError && e.retryAfterMs !== undefined
            ? e.retryAfterMs
            : Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(failures, 6));
        log.warn({ err: describe(e), retryInMs: wait }, 'telegram: getUpdates failed');
        try {
          await sleep(wait, undefined, { signal });
        } catch {
          return;
        }
      }
    }
  }
}

export const describe = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));
