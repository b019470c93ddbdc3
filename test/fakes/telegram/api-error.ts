/** A failure the fake Bot API answers with, shaped like Telegram's own error bodies. */
export interface FakeApiError {
  /** HTTP status; Telegram uses the error_code, except that 5xx come from its proxy as HTML. */
  readonly status?: number;
  readonly error_code: number;
  readonly description: string;
  readonly parameters?: { readonly retry_after?: number; readonly migrate_to_chat_id?: number };
}

export class ApiError extends Error {
  constructor(readonly body: FakeApiError) {
    super(`${body.error_code}: ${body.description}`);
  }
}

/** The failures a bot meets in practice, with Telegram's exact wording. */
export const telegramErrors = {
  tooManyRequests: (retryAfterS: number): FakeApiError => ({
    error_code: 429,
    description: `Too Many Requests: retry after ${retryAfterS}`,
    parameters: { retry_after: retryAfterS },
  }),
  blocked: (): FakeApiError => ({ error_code: 403, description: 'Forbidden: bot was blocked by the user' }),
  deactivated: (): FakeApiError => ({ error_code: 403, description: 'Forbidden: user is deactivated' }),
  chatNotFound: (): FakeApiError => ({ error_code: 400, description: 'Bad Request: chat not found' }),
  badRequest: (what: string): FakeApiError => ({ error_code: 400, description: `Bad Request: ${what}` }),
  serverError: (status = 502): FakeApiError => ({ status, error_code: status, description: 'Bad Gateway' }),
} as const;

export const badRequest = (what: string): ApiError => new ApiError(telegramErrors.badRequest(what));
