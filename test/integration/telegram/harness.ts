import type { Inbound } from '../../../src/core/index.js';
import { TelegramTransport } from '../../../src/bots/telegram/index.js';
import type { TelegramTransportOptions } from '../../../src/bots/telegram/index.js';
import { FakeTelegramBotApi } from '../../fakes/telegram-bot-api.js';
import { recordingLog } from '../../support/log.js';
import type { LoggedLine } from '../../support/log.js';

export interface Harness {
  readonly fake: FakeTelegramBotApi;
  readonly transport: TelegramTransport;
  readonly inbound: Inbound[];
  readonly lines: LoggedLine[];
  /** Resolves with the first inbound (already received or future) that matches. */
  waitForInbound<K extends Inbound['kind']>(
    kind: K,
    predicate?: (i: Extract<Inbound, { kind: K }>) => boolean,
    timeoutMs?: number,
  ): Promise<Extract<Inbound, { kind: K }>>;
  close(): Promise<void>;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls a condition that has no event to wait on. */
export async function until(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(10);
  }
}

/**
 * A transport talking to a fresh fake Bot API over real HTTP, with short poll and album
 * windows so tests stay fast. `handler` replaces the default collector (it still records).
 */
export async function startHarness(
  options: {
    handler?: (i: Inbound) => Promise<void>;
    transport?: Partial<Omit<TelegramTransportOptions, 'log' | 'token'>>;
    start?: boolean;
  } = {},
): Promise<Harness> {
  const fake = await FakeTelegramBotApi.start();
  const { log, lines } = recordingLog();
  const inbound: Inbound[] = [];
  const waiters = new Set<() => void>();
  const transport = new TelegramTransport({
    token: fake.token,
    apiRoot: fake.apiRoot,
    log,
    pollTimeoutS: 1,
    albumWindowMs: 150,
    handlerRetryDelaysMs: [10],
    ...options.transport,
  });
  transport.onInbound(async (i) => {
    inbound.push(i);
    for (const w of [...waiters]) w();
    if (options.handler !== undefined) await options.handler(i);
  });
  if (options.start !== false) await transport.start();

  const waitForInbound = <K extends Inbound['kind']>(
    kind: K,
    predicate: (i: Extract<Inbound, { kind: K }>) => boolean = () => true,
    timeoutMs = 3_000,
  ): Promise<Extract<Inbound, { kind: K }>> => {
    const find = (): Extract<Inbound, { kind: K }> | undefined =>
      inbound.find((i): i is Extract<Inbound, { kind: K }> => i.kind === kind && predicate(i as Extract<Inbound, { kind: K }>));
    const now = find();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const hit = find();
        if (hit === undefined) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(hit);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no ${kind} inbound within ${timeoutMs} ms; got: ${inbound.map((i) => i.kind).join(', ')}`));
      }, timeoutMs);
      waiters.add(check);
    });
  };

  return {
    fake,
    transport,
    inbound,
    lines,
    waitForInbound,
    async close() {
      await transport.stop();
      await fake.close();
    },
  };
}
