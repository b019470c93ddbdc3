/** Expected outcomes a user can cause; adapters turn the code into a friendly reply. */
export type UserErrorCode =
  | 'unknown_command'
  | 'bad_arguments'
  | 'already_searching'
  | 'already_chatting'
  | 'not_searching'
  | 'not_in_chat'
  | 'nothing_to_rate'
  | 'already_rated'
  | 'nothing_to_report'
  | 'banned'
  | 'suspended'
  | 'flood'
  | 'too_long'
  | 'unsupported_content'
  | 'not_found';

export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    readonly code: UserErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * permanent: the recipient cannot be reached any more (blocked the bot, account gone);
 * rejected: the platform refused this one message (bad request) but the recipient is fine;
 * transient: try again later (network, 5xx); rate_limited: wait retryAfterMs, then retry.
 */
export type DeliveryFailureKind = 'permanent' | 'rejected' | 'transient' | 'rate_limited';

/**
 * A transport could not deliver. Keeps the platform's own code (Telegram 403/429,
 * Discord 50007) so the relay can decide: wait, retry, or end the session.
 */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  constructor(
    readonly kind: DeliveryFailureKind,
    readonly platformCode: number | string | undefined,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export const isDeliveryError = (e: unknown): e is DeliveryError => e instanceof DeliveryError;
export const isUserError = (e: unknown): e is UserError => e instanceof UserError;
