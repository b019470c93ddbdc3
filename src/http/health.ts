import type { HttpRoutes } from '../core/index.js';
import { sendJson } from './server.js';

export type Probe = () => Promise<void>;

export interface HealthReport {
  readonly status: 'ok' | 'degraded';
  readonly checks: Record<string, { readonly ok: boolean; readonly error?: string; readonly ms: number }>;
}

const PROBE_TIMEOUT_MS = 2000;

async function runProbe(probe: Probe): Promise<{ ok: boolean; error?: string; ms: number }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
      }),
    ]);
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err), ms: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}

export async function checkHealth(probes: Record<string, Probe>): Promise<HealthReport> {
  const entries = await Promise.all(Object.entries(probes).map(async ([name, p]) => [name, await runProbe(p)] as const));
  const checks = Object.fromEntries(entries);
  return { status: entries.every(([, c]) => c.ok) ? 'ok' : 'degraded', checks };
}

/** GET /healthz: 200 when every dependency answers, 503 when one does not. */
export function mountHealth(routes: HttpRoutes, probes: Record<string, Probe>): void {
  routes.route('GET', '/healthz', async (_req, res) => {
    const report = await checkHealth(probes);
    sendJson(res, report.status === 'ok' ? 200 : 503, report);
  });
}
