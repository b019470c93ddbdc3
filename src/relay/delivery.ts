import {
  DeliveryError,
  KeyedQueue,
  type Log,
  type MessageRef,
  type Outbound,
  type Outbox,
  type Platform,
  type Transport,
  type UserRef,
} from '../core/index.js';
import type { Pacer } from './pacer.js';

export type DeliveryTask =
  | {
      readonly op: 'send';
      readonly outbound: Outbound;
      readonly onDelivered?: (refs: MessageRef[]) => Promise<void>;
      readonly onRejected?: (err: DeliveryError) => Promise<void>;
    }
  | {
      readonly op: 'edit';
      /** Resolved when the task runs, so an edit queued before its original was delivered still finds the copy. */
      readonly target: () => Promise<MessageRef | null>;
      readonly outbound: Outbound;
    }
  | { readonly op: 'delete'; readonly target: () => Promise<MessageRef | null> };

export interface DeliveryOptions {
  /** Called once per failed task when a recipient turned out to be unreachable. */
  readonly onUnreachable: (to: UserRef, err: DeliveryError) => Promise<void>;
  readonly maxTransientAttempts?: number;
  readonly maxRateLimitedAttempts?: number;
  readonly baseBackoffMs?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const asDeliveryError = (err: unknown): DeliveryError =>
  err instanceof DeliveryError ? err : new DeliveryError('transient', undefined, err instanceof Error ? err.message : String(err));

/**
 * Ordered, paced delivery. Each recipient has one queue, so a chat's messages arrive in
 * the order they were accepted, while a slow or rate-limited recipient never holds up
 * anyone else. Enqueueing returns at once: inbound handling never waits on delivery.
 */
export class Delivery implements Outbox {
  private readonly queues = new KeyedQueue();
  private readonly maxTransient: number;
  private readonly maxRateLimited: number;
  private readonly baseBackoffMs: number;

  constructor(
    private readonly transports: ReadonlyMap<Platform, Transport>,
    private readonly pacer: Pacer,
    private readonly log: Log,
    private readonly options: DeliveryOptions,
  ) {
    this.maxTransient = options.maxTransientAttempts ?? 6;
    this.maxRateLimited = options.maxRateLimitedAttempts ?? 20;
    this.baseBackoffMs = options.baseBackoffMs ?? 250;
  }

  transportFor(platform: Platform): Transport {
    const t = this.transports.get(platform);
    if (!t) throw new Error(`no transport for platform ${platform}`);
    return t;
  }

  send(to: UserRef, outbounds: readonly Outbound[]): Promise<void> {
    for (const outbound of outbounds) this.enqueue(to, { op: 'send', outbound });
    return Promise.resolve();
  }

  enqueue(to: UserRef, task: DeliveryTask): void {
    void this.queues.run(`${to.platform}:${to.externalId}`, () => this.execute(to, task));
  }

  /** Resolves when every queue is empty (tests and shutdown). */
  idle(): Promise<void> {
    return this.queues.idle();
  }

  get pending(): number {
    return this.queues.size;
  }

  private async execute(to: UserRef, task: DeliveryTask): Promise<void> {
    let transport: Transport;
    try {
      transport = this.transportFor(to.platform);
    } catch (err) {
      this.log.error({ err, platform: to.platform, op: task.op }, 'delivery dropped: platform not running');
      return;
    }
    let target: MessageRef | null = null;
    if (task.op !== 'send') {
      target = await task.target();
      if (!target) return; // the original never reached the partner; nothing to edit or delete
    }
    let transient = 0;
    let limited = 0;
    for (;;) {
      await this.pacer.acquire(to.platform, to.externalId);
      try {
        if (task.op === 'send') {
          const refs = await transport.send(to, task.outbound);
          // Delivered: a failure to record it must not send the message a second time.
          await task.onDelivered?.(refs).catch((err: unknown) => this.log.error({ err }, 'could not record a delivered copy'));
        } else if (task.op === 'edit' && target) {
          await transport.edit(target, task.outbound);
        } else if (target) {
          await transport.delete(target);
        }
        return;
      } catch (raw) {
        const err = asDeliveryError(raw);
        if (err.kind === 'rate_limited' && ++limited <= this.maxRateLimited) {
          const wait = err.retryAfterMs ?? 1000;
          this.log.warn({ platform: to.platform, code: err.platformCode, waitMs: wait }, 'rate limited; waiting');
          this.pacer.penalize(to.platform, to.externalId, wait);
          await sleep(wait);
          continue;
        }
        if (err.kind === 'transient' && ++transient < this.maxTransient) {
          const wait = this.baseBackoffMs * 2 ** (transient - 1);
          this.log.warn({ platform: to.platform, code: err.platformCode, attempt: transient, waitMs: wait }, 'delivery failed; retrying');
          await sleep(wait);
          continue;
        }
        if (err.kind === 'permanent') {
          this.log.info({ platform: to.platform, code: err.platformCode, op: task.op }, 'recipient unreachable');
          await this.options.onUnreachable(to, err).catch((e: unknown) => this.log.error({ err: e }, 'unreachable handler failed'));
          return;
        }
        this.log.warn({ platform: to.platform, code: err.platformCode, kind: err.kind, op: task.op }, 'delivery gave up');
        if (task.op === 'send') await task.onRejected?.(err).catch((e: unknown) => this.log.error({ err: e }, 'rejection handler failed'));
        return;
      }
    }
  }
}
