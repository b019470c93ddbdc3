import type { APIModalInteractionResponseCallbackData } from 'discord.js';
import type { Log, MessageRef } from '../../core/index.js';
import type { InteractionHandle, ReplyPayload } from './interaction-handle.js';

export interface InteractionDeskTimings {
  /** How long to wait for the core's first notice before acknowledging; Discord allows 3 s. */
  readonly ackMs: number;
  /** How long after the interaction the core's notices still count as its answer. */
  readonly windowMs: number;
}

export interface OpenOptions {
  /** `reply`: the answer is a message (slash command). `update`: the button's message stays as it is. */
  readonly mode: 'reply' | 'update';
  readonly canShowModal: boolean;
}

export type DeskResult =
  | { readonly handled: true; readonly refs: MessageRef[] }
  | { readonly handled: false; readonly modalShown: boolean };

type State = 'fresh' | 'deferred' | 'answered' | 'done';

interface Entry {
  readonly handle: InteractionHandle;
  readonly options: OpenOptions;
  state: State;
  chain: Promise<unknown>;
  timers: NodeJS.Timeout[];
}

const NOT_HANDLED: DeskResult = { handled: false, modalShown: false };

/**
 * Answers a DM interaction with the core's notices. The core answers a command by calling
 * `send`, not by returning a reply, so the adapter keeps the interaction open for a short
 * window: a notice that arrives in time becomes the interaction's reply (or a modal), later
 * ones its follow-ups; without a notice it is acknowledged before Discord's 3 s deadline.
 */
export class InteractionDesk {
  private readonly open = new Map<string, Entry>();

  constructor(
    private readonly timings: InteractionDeskTimings,
    private readonly log: Log,
    private readonly onBotMessageDeleted: (messageId: string) => void,
    private readonly onAnswered: (messageId: string, handle: InteractionHandle) => void,
  ) {}

  openFor(userId: string, handle: InteractionHandle, options: OpenOptions): void {
    const previous = this.open.get(userId);
    if (previous) this.finish(userId, previous);
    const entry: Entry = { handle, options, state: 'fresh', chain: Promise.resolve(), timers: [] };
    entry.timers.push(
      setTimeout(() => void this.enqueue(entry, () => this.acknowledge(entry)), this.timings.ackMs),
      setTimeout(() => this.finish(userId, entry), this.timings.windowMs),
    );
    this.open.set(userId, entry);
  }

  /**
   * Delivers a notice through the user's open interaction if there is one. When it is not
   * handled, the caller sends to the DM channel; `modalShown` says the form is already open.
   */
  deliver(userId: string, pieces: readonly ReplyPayload[], modal?: APIModalInteractionResponseCallbackData): Promise<DeskResult> {
    const entry = this.open.get(userId);
    if (!entry) return Promise.resolve(NOT_HANDLED);
    return this.enqueue(entry, () => this.deliverNow(entry, pieces, modal));
  }

  /** Settles every open interaction (removing unanswered "thinking…" replies) and waits for it. */
  async closeAll(): Promise<void> {
    const entries = [...this.open];
    for (const [userId, entry] of entries) this.finish(userId, entry);
    await Promise.all(entries.map(([, entry]) => entry.chain));
  }

  get openCount(): number {
    return this.open.size;
  }

  private async deliverNow(
    entry: Entry,
    pieces: readonly ReplyPayload[],
    modal: APIModalInteractionResponseCallbackData | undefined,
  ): Promise<DeskResult> {
    const { handle, options } = entry;
    if (entry.state === 'done') return NOT_HANDLED;
    try {
      if (modal && options.canShowModal && entry.state === 'fresh') {
        entry.state = 'done';
        await handle.showModal(modal);
        return { handled: false, modalShown: true };
      }
      if (options.mode === 'update') {
        if (entry.state === 'fresh') {
          entry.state = 'done';
          await handle.defer();
        }
        return NOT_HANDLED;
      }
      const refs: MessageRef[] = [];
      for (const piece of pieces) {
        const state: State = entry.state;
        const ref =
          state === 'fresh' ? await handle.reply(piece) : state === 'deferred' ? await handle.editOriginal(piece) : await handle.followUp(piece);
        entry.state = 'answered';
        this.onAnswered(ref.messageId, handle);
        refs.push(ref);
      }
      return { handled: true, refs };
    } catch (error) {
      // An expired or already-answered interaction: the DM channel still reaches the user.
      this.log.warn({ err: errorName(error), state: entry.state }, 'interaction answer failed; sending to the DM instead');
      entry.state = 'done';
      return NOT_HANDLED;
    }
  }

  private async acknowledge(entry: Entry): Promise<void> {
    if (entry.state !== 'fresh') return;
    try {
      await entry.handle.defer();
      entry.state = entry.options.mode === 'reply' ? 'deferred' : 'done';
    } catch (error) {
      this.log.warn({ err: errorName(error) }, 'interaction acknowledgement failed');
      entry.state = 'done';
    }
  }

  private finish(userId: string, entry: Entry): void {
    for (const timer of entry.timers) clearTimeout(timer);
    if (this.open.get(userId) === entry) this.open.delete(userId);
    void this.enqueue(entry, async () => {
      // Deferred and never answered: remove the "thinking…" message instead of leaving it spinning.
      if (entry.state === 'deferred') {
        entry.state = 'done';
        try {
          const id = await entry.handle.deleteOriginal();
          if (id !== undefined) this.onBotMessageDeleted(id);
        } catch (error) {
          this.log.warn({ err: errorName(error) }, 'could not remove an unanswered interaction reply');
        }
      }
      entry.state = 'done';
    });
  }

  private enqueue<T>(entry: Entry, task: () => Promise<T>): Promise<T> {
    const result = entry.chain.then(task);
    entry.chain = result.catch(() => undefined);
    return result;
  }
}

const errorName = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : 'unknown');
