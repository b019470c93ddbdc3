import { DiscordAPIError, HTTPError, RateLimitError, RESTJSONErrorCodes } from 'discord.js';
import { DeliveryError } from '../../core/index.js';

/** The recipient cannot be reached at all: DMs closed or the bot blocked, account or channel gone. */
export const UNREACHABLE_CODES: ReadonlySet<number> = new Set([
  RESTJSONErrorCodes.CannotSendMessagesToThisUser,
  RESTJSONErrorCodes.CannotSendMessagesToThisUserDueToHavingNoMutualGuilds,
  RESTJSONErrorCodes.UnknownUser,
  RESTJSONErrorCodes.UnknownChannel,
]);

/** Error codes undici and Node use for a connection that failed or broke before Discord answered. */
const NETWORK_CODE = /^(UND_ERR|E(CONN|HOST|NET|PIPE|AI_|TIMEDOUT|PROTO))/;

function networkCode(error: Error): string | undefined {
  if (error.name === 'AbortError' || error.name === 'TimeoutError') return 'timeout';
  const code = (error as Error & { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_CODE.test(code)) return code;
  const cause = (error as Error & { cause?: unknown }).cause;
  return cause instanceof Error ? networkCode(cause) : undefined;
}

/**
 * Maps whatever discord.js threw to the core's DeliveryError. The message never carries the
 * request URL, which contains channel and user ids.
 */
export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  if (error instanceof RateLimitError) {
    return new DeliveryError('rate_limited', 429, 'Discord rate limit', Math.max(0, Math.ceil(error.retryAfter)));
  }
  if (error instanceof DiscordAPIError) {
    const code = typeof error.code === 'number' ? error.code : error.status;
    if (error.status === 429) return new DeliveryError('rate_limited', 429, 'Discord rate limit', 1000);
    if (error.status >= 500) return new DeliveryError('transient', error.status, `Discord ${error.status}`);
    if (typeof code === 'number' && UNREACHABLE_CODES.has(code)) {
      return new DeliveryError('permanent', code, `Recipient unreachable on Discord: ${error.message}`);
    }
    // Any other 4xx is about this one request: retrying would only repeat it (and count
    // towards Discord's invalid-request limit), but the recipient can still be reached.
    return new DeliveryError('rejected', code, `Discord rejected the message: ${error.message}`);
  }
  if (error instanceof HTTPError) {
    return error.status >= 500
      ? new DeliveryError('transient', error.status, `Discord ${error.status}`)
      : new DeliveryError('rejected', error.status, `Discord HTTP ${error.status}`);
  }
  if (error instanceof Error) {
    const code = networkCode(error);
    if (code) return new DeliveryError('transient', code, `Discord unreachable (${code})`);
    return new DeliveryError('rejected', 'internal', `Discord adapter error: ${error.name}`);
  }
  return new DeliveryError('rejected', 'internal', 'Discord adapter error');
}

export const isUnreachable = (error: DeliveryError): boolean =>
  typeof error.platformCode === 'number' && UNREACHABLE_CODES.has(error.platformCode);

/** The platform code of a discord.js error, for deciding without converting (10008 on delete). */
export function discordCode(error: unknown): number | string | undefined {
  return error instanceof DiscordAPIError ? error.code : undefined;
}
