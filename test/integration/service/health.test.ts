import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountHealth } from '../../../src/http/health.js';
import { HttpServer } from '../../../src/http/server.js';
import { silentLog } from '../../support/log.js';

describe('/healthz', () => {
  const http = new HttpServer(silentLog);
  let up = true;
  let port = 0;
  beforeAll(async () => {
    mountHealth(http, {
      postgres: () => Promise.resolve(),
      redis: () => (up ? Promise.resolve() : Promise.reject(new Error('connection refused'))),
    });
    port = await http.listen(0, '127.0.0.1');
  });
  afterAll(() => http.close());

  it('answers 200 when every dependency answers and 503 naming the one that does not', async () => {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(ok.status).toBe(200);
    up = false;
    const down = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: 'degraded', checks: { redis: { ok: false, error: 'connection refused' }, postgres: { ok: true } } });
  });

  it('answers 404 for unknown paths and 405 for wrong methods', async () => {
    expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`, { method: 'POST' })).status).toBe(405);
  });
});
