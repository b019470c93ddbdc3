import type { Inbound, Log } from '../../../src/core/index.js';
import { DiscordTransport, type DiscordTransportOptions } from '../../../src/bots/discord/index.js';
import type { FakeDiscord } from '../../fakes/discord/index.js';

export interface LogRecord {
  readonly level: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  readonly bindings: Record<string, unknown>;
  readonly obj: object | undefined;
  readonly msg: string | undefined;
}

/** A Log that keeps every record, to assert what reaches the logs. */
export function recordingLog(records: LogRecord[] = [], bindings: Record<string, unknown> = {}): Log & { records: LogRecord[] } {
  const at =
    (level: LogRecord['level']) =>
    (objOrMsg: object | string, msg?: string): void => {
      if (typeof objOrMsg === 'string') records.push({ level, bindings, obj: undefined, msg: objOrMsg });
      else records.push({ level, bindings, obj: objOrMsg, msg });
    };
  return {
    records,
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => recordingLog(records, { ...bindings, ...more }),
  };
}

/** Collects inbounds and lets a test play the core: `respond` runs for each one. */
export class Inbox {
  readonly items: Inbound[] = [];
  respond: ((inbound: Inbound) => Promise<void>) | undefined;

  readonly handler = async (inbound: Inbound): Promise<void> => {
    this.items.push(inbound);
    await this.respond?.(inbound);
  };

  async next<K extends Inbound['kind']>(kind: K, from = 0, timeoutMs = 3000): Promise<Extract<Inbound, { kind: K }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.items.slice(from).find((i): i is Extract<Inbound, { kind: K }> => i.kind === kind);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no ${kind} inbound arrived`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  get size(): number {
    return this.items.length;
  }
}

export interface Started {
  readonly transport: DiscordTransport;
  readonly inbox: Inbox;
  readonly log: ReturnType<typeof recordingLog>;
}

export async function startTransport(
  fake: FakeDiscord,
  extra: Partial<Omit<DiscordTransportOptions, 'token' | 'applicationId' | 'log'>> = {},
): Promise<Started> {
  const log = recordingLog();
  const inbox = new Inbox();
  const transport = new DiscordTransport({
    token: fake.token,
    applicationId: fake.applicationId,
    apiRoot: fake.apiRoot,
    cdnRoot: fake.cdnRoot,
    log,
    ...extra,
    tuning: { interactionAckMs: 300, interactionWindowMs: 1500, ...extra.tuning },
  });
  transport.onInbound(inbox.handler);
  await transport.start();
  return { transport, inbox, log };
}
