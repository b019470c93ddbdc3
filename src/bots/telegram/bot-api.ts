import { Telegram } from 'telegraf';
import type { Opts, Telegram as ApiMethods } from 'telegraf/types';
import { toDeliveryError } from './delivery-errors.js';

type CallApiSignal = NonNullable<NonNullable<Parameters<Telegram['callApi']>[2]>['signal']>;

export interface CallOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

function hasUpload(payload: object): boolean {
  const isUpload = (v: unknown): boolean =>
    typeof v === 'object' && v !== null && ('source' in v || (('media' in v) && isUpload(v.media)));
  return Object.values(payload).some((v) => (Array.isArray(v) ? v.some(isUpload) : isUpload(v)));
}

/**
 * telegraf 4.16.3 silently drops object-valued parameters it does not know from multipart
 * bodies (telegraf issues 1970 and 2094), so a reply to an uploaded file would lose its
 * reply_parameters. The Bot API accepts every object parameter as a JSON string, which
 * telegraf forwards untouched.
 */
function forMultipart<M extends keyof ApiMethods>(payload: Opts<M>): Opts<M> {
  if (!hasUpload(payload)) return payload;
  const fixed: Record<string, unknown> = { ...payload };
  for (const key of ['reply_parameters', 'link_preview_options'] as const) {
    const value = fixed[key];
    if (typeof value === 'object' && value !== null) fixed[key] = JSON.stringify(value);
  }
  return fixed as Opts<M>;
}

/**
 * The Bot API through telegraf's client: one timeout per call, and every failure turned into
 * a DeliveryError (see delivery-errors.ts). The token stays inside telegraf, which also
 * redacts it from network error messages.
 */
export class BotApi {
  private readonly client: Telegram;

  constructor(
    token: string,
    apiRoot: string,
    private readonly defaultTimeoutMs: number,
  ) {
    this.client = new Telegram(token, { apiRoot, webhookReply: false });
  }

  async call<M extends keyof ApiMethods>(
    method: M,
    payload: Opts<M>,
    options: CallOptions = {},
  ): Promise<ReturnType<ApiMethods[M]>> {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? this.defaultTimeoutMs);
    const signal = options.signal !== undefined ? AbortSignal.any([options.signal, timeout]) : timeout;
    try {
      // node-fetch (inside telegraf) accepts Node's AbortSignal; telegraf's typing names an
      // older polyfill class with the same runtime contract.
      return await this.client.callApi(method, forMultipart<M>(payload), { signal: signal as unknown as CallApiSignal });
    } catch (e) {
      throw toDeliveryError(method, e);
    }
  }
}
