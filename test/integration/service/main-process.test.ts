import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { flushPrefix, TEST_REDIS_URL } from '../../support/app.js';
import { dropDatabase, testDatabaseUrl, uniqueDatabaseName, withClient } from '../../support/postgres.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });

interface Running {
  readonly child: ChildProcess;
  readonly output: () => { stdout: string; stderr: string };
  readonly exited: Promise<number | null>;
}

function startService(env: Record<string, string>): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => ({ stdout, stderr }), exited };
}

async function waitForHealth(port: number, timeoutMs = 40_000): Promise<{ status: number; body: unknown }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      return { status: res.status, body: await res.json() };
    } catch {
      if (Date.now() > deadline) throw new Error(`no /healthz on ${port}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

describe('the service process', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups) await c().catch(() => undefined);
  });

  it('creates its database, serves /healthz and stops cleanly on SIGTERM', async () => {
    const name = uniqueDatabaseName('es_main');
    const prefix = `test:${randomUUID()}`;
    cleanups.push(() => dropDatabase(name), () => flushPrefix(TEST_REDIS_URL, prefix));
    const port = await freePort();
    const svc = startService({ DATABASE_URL: testDatabaseUrl(name), REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, HTTP_PORT: String(port) });
    const health = await waitForHealth(port);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', checks: { postgres: { ok: true }, redis: { ok: true } } });
    expect(svc.output().stdout).toMatch(/no chat platform is configured|web/i);
    const stopAt = Date.now();
    svc.child.kill('SIGTERM');
    expect(await svc.exited).toBe(0);
    expect(Date.now() - stopAt).toBeLessThan(5000);
  }, 60_000);

  it.each([
    ['HTTP_PORT', 'abc'],
    ['DATABASE_URL', 'nonsense'],
    ['MATCH_WINDOW_MS', '5'],
  ])('refuses %s=%s with one clear line and a non-zero exit', async (name, value) => {
    const svc = startService({ [name]: value });
    const code = await svc.exited;
    expect(code).not.toBe(0);
    const lines = svc.output().stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(name);
    expect(lines[0]).toMatch(/expected/);
    expect(svc.output().stderr).not.toMatch(/\bat .*\.ts:\d+/);
  }, 30_000);

  it('two processes starting together on an empty database both come up and migrate once', async () => {
    const name = uniqueDatabaseName('es_main2');
    const prefix = `test:${randomUUID()}`;
    cleanups.push(() => dropDatabase(name), () => flushPrefix(TEST_REDIS_URL, prefix));
    const [p1, p2] = [await freePort(), await freePort()];
    const env = { DATABASE_URL: testDatabaseUrl(name), REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix };
    const a = startService({ ...env, HTTP_PORT: String(p1) });
    const b = startService({ ...env, HTTP_PORT: String(p2) });
    try {
      const [ha, hb] = await Promise.all([waitForHealth(p1), waitForHealth(p2)]);
      expect(ha.status).toBe(200);
      expect(hb.status).toBe(200);
      const rows = await withClient(testDatabaseUrl(name), async (c) =>
        (await c.query<{ migration_name: string; n: string }>('SELECT migration_name, count(*) AS n FROM _prisma_migrations GROUP BY 1')).rows,
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) expect(Number(r.n)).toBe(1);
    } finally {
      a.child.kill('SIGTERM');
      b.child.kill('SIGTERM');
      expect(await a.exited).toBe(0);
      expect(await b.exited).toBe(0);
    }
  }, 90_000);
});
