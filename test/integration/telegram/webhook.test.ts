import { afterEach, describe, expect, it } from 'vitest';
import { HttpServer } from '../../../src/http/server.js';
import { silentLog } from '../../support/log.js';
import { startHarness, until } from './harness.js';
import type { Harness } from './harness.js';

const secretPathToken = 'p4th_s3cret_0123456789abcdef';
const secretToken = 'tok-SECRET_123';
const alice = { id: 4001, first_name: 'Alice' };

let h: Harness | undefined;
let http: HttpServer | undefined;
afterEach(async () => {
  await h?.close();
  await http?.close();
  h = undefined;
  http = undefined;
});

async function setup(handler?: () => Promise<void>): Promise<{ h: Harness; url: string }> {
  http = new HttpServer(silentLog);
  const port = await http.listen(0, '127.0.0.1');
  h = await startHarness({
    transport: { webhook: { url: `http://127.0.0.1:${port}/`, secretPathToken, secretToken, routes: http } },
    ...(handler !== undefined ? { handler } : {}),
  });
  return { h, url: `http://127.0.0.1:${port}/telegram/${secretPathToken}` };
}

const post = (url: string, body: string, token?: string): Promise<number> =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token !== undefined ? { 'x-telegram-bot-api-secret-token': token } : {}) },
    body,
  }).then(async (r) => {
    await r.arrayBuffer();
    return r.status;
  });

const update = (updateId: number, text: string): string =>
  JSON.stringify({
    update_id: updateId,
    message: { message_id: updateId, date: 1, chat: { id: 4001, type: 'private', first_name: 'Alice' }, from: { id: 4001, is_bot: false, first_name: 'Alice' }, text },
  });

describe('TelegramTransport webhook mode', () => {
  it('registers the webhook with its secret token and allowed updates instead of polling', async () => {
    const { h, url } = await setup();
    const set = h.fake.calls({ method: 'setWebhook' })[0];
    expect(set?.params).toMatchObject({
      url,
      secret_token: secretToken,
      allowed_updates: ['message', 'edited_message', 'callback_query', 'my_chat_member'],
    });
    expect(h.fake.calls({ method: 'deleteWebhook' })).toHaveLength(0);
    h.fake.user(alice).text('via webhook');
    const m = await h.waitForInbound('message');
    expect(m.content).toEqual({ kind: 'text', text: 'via webhook' });
    await until(() => h.fake.webhookDeliveries.length === 1);
    expect(h.fake.webhookDeliveries[0]?.status).toBe(200);
    expect(h.fake.calls({ method: 'getUpdates' })).toHaveLength(0);
  });

  it('refuses a request without the right secret token and processes one with it', async () => {
    const { h, url } = await setup();
    expect(await post(url, update(900, 'forged'), 'wrong-token')).toBe(403);
    expect(await post(url, update(901, 'forged'))).toBe(403);
    expect(h.inbound).toHaveLength(0);
    expect(await post(url, update(902, 'genuine'), secretToken)).toBe(200);
    expect(h.inbound).toHaveLength(1);
    expect(h.inbound[0]).toMatchObject({ kind: 'message', updateId: '902', content: { text: 'genuine' } });
    // A redelivery is acknowledged but not handed on twice.
    expect(await post(url, update(902, 'genuine'), secretToken)).toBe(200);
    expect(h.inbound).toHaveLength(1);
    expect(await post(url, '{not json', secretToken)).toBe(400);
    expect(await post(url, JSON.stringify({ hello: 1 }), secretToken)).toBe(400);
    expect(await post(url, JSON.stringify({ update_id: 903, message: { text: 'no chat' } }), secretToken)).toBe(200);
    expect(h.inbound).toHaveLength(1);
  });

  it('answers 500 when the core cannot handle the update, so Telegram delivers it again', async () => {
    let failing = true;
    const { h, url } = await setup(() => (failing ? Promise.reject(new Error('db down')) : Promise.resolve()));
    expect(await post(url, update(910, 'try again'), secretToken)).toBe(500);
    failing = false;
    expect(await post(url, update(910, 'try again'), secretToken)).toBe(200);
    expect(h.inbound.filter((i) => i.updateId === '910').length).toBeGreaterThanOrEqual(2);
  });

  it('tells Telegram to come back later once stopped', async () => {
    const { h, url } = await setup();
    await h.transport.stop();
    expect(await post(url, update(920, 'late'), secretToken)).toBe(503);
  });
});
