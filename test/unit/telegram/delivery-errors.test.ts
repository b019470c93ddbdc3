import { TelegramError } from 'telegraf';
import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../src/core/index.js';
import { toDeliveryError } from '../../../src/bots/telegram/delivery-errors.js';

describe('toDeliveryError', () => {
  const tg = (error_code: number, description: string, retry_after?: number) =>
    new TelegramError({ error_code, description, ...(retry_after !== undefined ? { parameters: { retry_after } } : {}) });

  it.each([
    [tg(429, 'Too Many Requests: retry after 3', 3), 'rate_limited', 429, 3000],
    [tg(403, 'Forbidden: bot was blocked by the user'), 'permanent', 403, undefined],
    [tg(403, 'Forbidden: user is deactivated'), 'permanent', 403, undefined],
    [tg(400, 'Bad Request: chat not found'), 'permanent', 400, undefined],
    [tg(400, "Bad Request: can't parse entities"), 'rejected', 400, undefined],
    [tg(400, 'Bad Request: message to copy not found'), 'rejected', 400, undefined],
    [tg(502, 'Bad Gateway'), 'transient', 502, undefined],
    [tg(401, 'Unauthorized'), 'transient', 401, undefined],
  ])('%s', (error, kind, code, retryAfterMs) => {
    const e = toDeliveryError('sendMessage', error);
    expect(e).toBeInstanceOf(DeliveryError);
    expect(e).toMatchObject({ kind, platformCode: code });
    expect((e as DeliveryError).retryAfterMs).toBe(retryAfterMs);
  });

  it('treats network failures as transient and leaves bugs alone', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { name: 'FetchError', code: 'ECONNREFUSED' });
    expect(toDeliveryError('sendMessage', refused)).toMatchObject({ kind: 'transient', platformCode: 'ECONNREFUSED' });
    const bug = new TypeError('x is undefined');
    expect(toDeliveryError('sendMessage', bug)).toBe(bug);
  });
});
