import { describe, expect, test } from 'vitest';
import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { toDeliveryError } from '../../../src/bots/discord/delivery-errors.js';
import { DeliveryError } from '../../../src/core/index.js';

const apiError = (code: number, status: number, message = 'x') =>
  new DiscordAPIError({ code, message }, code, status, 'POST', 'https://discord.test/api/v10/channels/123456789/messages', {});

describe('toDeliveryError', () => {
  test.each([50007, 10013, 10003, 50278])('%i: the recipient is unreachable (permanent)', (code) => {
    expect(toDeliveryError(apiError(code, code === 50007 ? 403 : 404))).toMatchObject({ kind: 'permanent', platformCode: code });
  });

  test('other 4xx reject only this message', () => {
    expect(toDeliveryError(apiError(50035, 400))).toMatchObject({ kind: 'rejected', platformCode: 50035 });
    expect(toDeliveryError(apiError(40005, 413))).toMatchObject({ kind: 'rejected', platformCode: 40005 });
  });

  test('5xx and network failures are transient', () => {
    expect(toDeliveryError(new HTTPError(503, 'Service Unavailable', 'POST', 'u', {}))).toMatchObject({ kind: 'transient', platformCode: 503 });
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(toDeliveryError(refused)).toMatchObject({ kind: 'transient', platformCode: 'ECONNREFUSED' });
    const wrapped = new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'UND_ERR_SOCKET' }) });
    expect(toDeliveryError(wrapped)).toMatchObject({ kind: 'transient', platformCode: 'UND_ERR_SOCKET' });
    const timeout = Object.assign(new Error('aborted'), { name: 'AbortError' });
    expect(toDeliveryError(timeout)).toMatchObject({ kind: 'transient', platformCode: 'timeout' });
  });

  test('a surfaced 429 carries how long to wait', () => {
    const limited = new RateLimitError({
      timeToReset: 1500,
      limit: 5,
      method: 'POST',
      hash: 'h',
      url: 'u',
      route: '/channels/:id/messages',
      majorParameter: '1',
      global: false,
      retryAfter: 1500,
      sublimitTimeout: 0,
      scope: 'user',
    });
    expect(toDeliveryError(limited)).toMatchObject({ kind: 'rate_limited', platformCode: 429, retryAfterMs: 1500 });
  });

  test('messages never carry the request url and its ids', () => {
    expect(toDeliveryError(apiError(50007, 403, 'Cannot send messages to this user')).message).not.toContain('123456789');
  });

  test('a DeliveryError passes through; a bug is rejected once, not retried', () => {
    const original = new DeliveryError('transient', 'x', 'y');
    expect(toDeliveryError(original)).toBe(original);
    expect(toDeliveryError(new TypeError('oops'))).toMatchObject({ kind: 'rejected', platformCode: 'internal' });
  });
});
