import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Log } from '../../core/index.js';

/** A plain Node request listener, so main.ts can mount it on whatever server it owns. */
export type WebhookHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** What handling one posted update came to, and so what Telegram is answered. */
export type WebhookOutcome =
  /** Handled, or malformed beyond repair (re-delivery would not help): 200. */
  | 'done'
  /** The core failed even after retries: 500, so Telegram delivers it again later. */
  | 'failed'
  /** Not an update at all: 400. */
  | 'rejected';

export const SECRET_TOKEN_HEADER = 'x-telegram-bot-api-secret-token';

/** Telegram updates are small; anything bigger is not from Telegram. */
const MAX_BODY_BYTES = 1024 * 1024;

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

function secretMatches(expected: string, got: string | string[] | undefined): boolean {
  if (typeof got !== 'string') return false;
  // Comparing fixed-length digests keeps the comparison constant-time whatever was sent.
  return timingSafeEqual(digest(expected), digest(got));
}

async function readBody(req: IncomingMessage): Promise<Buffer | 'too_large'> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    total += buf.length;
    if (total > MAX_BODY_BYTES) return 'too_large';
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

export interface WebhookHandlerOptions {
  readonly secretToken: string;
  readonly log: Log;
  /** False before start() finished and after stop(): Telegram is told to come back later. */
  readonly accepting: () => boolean;
  readonly process: (raw: unknown) => Promise<WebhookOutcome>;
}

/**
 * The endpoint Telegram posts updates to. It answers only after the core handled the update,
 * so a 200 means the update is safe and Telegram will not send it again.
 */
export function createWebhookHandler(o: WebhookHandlerOptions): WebhookHandler {
  const reply = (res: ServerResponse, status: number, headers: Record<string, string> = {}): void => {
    if (!res.headersSent) res.writeHead(status, headers);
    res.end();
  };
  return (req, res) => {
    void (async () => {
      if (req.method !== 'POST') return reply(res, 405, { allow: 'POST' });
      if (!secretMatches(o.secretToken, req.headers[SECRET_TOKEN_HEADER])) {
        o.log.warn('telegram: webhook request with a wrong secret token refused');
        req.resume();
        return reply(res, 403);
      }
      if (!o.accepting()) {
        req.resume();
        return reply(res, 503, { 'retry-after': '5' });
      }
      const body = await readBody(req);
      if (body === 'too_large') return reply(res, 413);
      let raw: unknown;
      try {
        raw = JSON.parse(body.toString('utf8'));
      } catch {
        return reply(res, 400);
      }
      const outcome = await o.process(raw);
      reply(res, outcome === 'done' ? 200 : outcome === 'failed' ? 500 : 400);
    })().catch((e: unknown) => {
      o.log.error({ err: e instanceof Error ? e.name : 'unknown' }, 'telegram: webhook request failed');
      reply(res, 500);
    });
  };
}
