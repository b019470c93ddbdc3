import { readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The page's folder (repo-root public/): plain HTML, CSS and a hand-written browser ES module. */
export const PUBLIC_DIR = fileURLToPath(new URL('../../../public/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/**
 * Scripts and styles only from this server; images also from https (a photo relayed from
 * Discord's CDN); the socket only back to this server. No inline script anywhere, so an
 * injected <script> could not run even if text were ever put into the page as HTML.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' https: data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

interface StaticFile {
  readonly body: Buffer;
  readonly type: string;
}

/** Serves `/` (index.html) and `/assets/<file>` from memory; nothing else, no path lookups on disk. */
export class StaticFiles {
  private readonly files = new Map<string, StaticFile>();

  constructor(dir: string = PUBLIC_DIR) {
    for (const name of readdirSync(dir)) {
      const type = TYPES[extname(name)];
      if (type) this.files.set(name, { body: readFileSync(join(dir, name)), type });
    }
    if (!this.files.has('index.html')) throw new Error(`web transport: ${dir} has no index.html`);
  }

  /** GET/HEAD of the page itself; any other path under "/" is a 404. */
  readonly page = (req: IncomingMessage, res: ServerResponse): void => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/' && path !== '/index.html') return notFound(res);
    this.serve(res, 'index.html');
  };

  readonly asset = (req: IncomingMessage, res: ServerResponse): void => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const name = path.slice('/assets/'.length);
    if (name === 'index.html' || !this.files.has(name)) return notFound(res);
    this.serve(res, name);
  };

  private serve(res: ServerResponse, name: string): void {
    const file = this.files.get(name);
    if (!file) return notFound(res);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': file.type,
      'content-length': file.body.length,
      'cache-control': 'no-cache',
    });
    res.end(file.body);
  }
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'application/json', 'x-content-type-options': 'nosniff' });
  res.end(JSON.stringify({ error: 'not found' }));
}
