import { TelegramError } from 'telegraf';
import { DeliveryError } from '../../core/index.js';

/*
 * How a failed Bot API call reads to the relay. send() makes one attempt; the relay decides
 * whether to wait, retry or give up, using `kind` and the Telegram error code kept in
 * `platformCode`:
 *   429                                  -> rate_limited, retryAfterMs from parameters.retry_after
 *   403 (blocked, deactivated, ...)      -> permanent: the recipient is unreachable
 *   400 "chat not found", "user is deactivated"
 *                                        -> permanent: the recipient is unreachable
 *   other 4xx (bad entities, message to copy not found, protected content, file too big...)
 *                                        -> rejected: this message only; the recipient is fine
 *   401/404/409 (our token or endpoint is wrong)
 *                                        -> transient: a configuration fault of ours must not
 *                                           end every user's session
 *   5xx, network errors, timeouts        -> transient
 */

/** The 400s that are about the chat rather than the message. */
const RECIPIENT_GONE = /chat not found|user is deactivated|PEER_ID_INVALID/i;

function fromTelegram(method: string, e: TelegramError): DeliveryError {
  const code = e.code;
  const what = `telegram ${method} failed: ${code} ${e.description}`;
  if (code === 429) {
    const retryAfterS = e.parameters?.retry_after;
    return new DeliveryError('rate_limited', code, what, (retryAfterS ?? 1) * 1000);
  }
  if (code >= 500 || code === 401 || code === 404 || code === 409) return new DeliveryError('transient', code, what);
  if (code === 403 || (code === 400 && RECIPIENT_GONE.test(e.description))) {
    return new DeliveryError('permanent', code, what);
  }
  return new DeliveryError('rejected', code, what);
}

const NETWORK_ERROR_NAMES = new Set(['FetchError', 'AbortError', 'TimeoutError']);

function isNetworkError(e: unknown): e is Error & { code?: unknown } {
  if (!(e instanceof Error)) return false;
  if (NETWORK_ERROR_NAMES.has(e.name)) return true;
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && /^E[A-Z]+/.test(code);
}

/** Any failure of a Bot API call as a DeliveryError; a programming error is returned unchanged. */
export function toDeliveryError(method: string, e: unknown): Error {
  if (e instanceof DeliveryError) return e;
  if (e instanceof TelegramError) return fromTelegram(method, e);
  if (isNetworkError(e)) {
    const code = typeof e.code === 'string' ? e.code : e.name;
    return new DeliveryError('transient', code, `telegram ${method} failed: ${e.name} ${code}`);
  }
  return e instanceof Error ? e : new Error(String(e));
}

/** A 400 whose description matches, e.g. "message is not modified", which callers treat as success. */
export const isBadRequest = (e: unknown, description: RegExp): boolean =>
  e instanceof DeliveryError && e.platformCode === 400 && description.test(e.message);
