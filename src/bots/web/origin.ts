import type { IncomingMessage } from 'node:http';

/**
 * Cross-site WebSocket hijacking guard: a browser always sends Origin on a WebSocket
 * handshake, so a page on another site is refused unless its origin is listed. Same-origin
 * means the Origin's host:port equals the Host header. Clients that send no Origin at all
 * are not browsers (they could send any Origin they like) and are let through; they still
 * need a token we signed to act as anyone.
 */
export function originAllowed(req: IncomingMessage, extra: ReadonlySet<string>): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (extra.has(url.origin.toLowerCase())) return true;
  const host = req.headers.host?.toLowerCase();
  return host !== undefined && url.host.toLowerCase() === host;
}

/** Normalizes configured origins ("https://chat.example.com/") to URL origins. */
export function normalizeOrigins(origins: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const o of origins) {
    try {
      out.add(new URL(o).origin.toLowerCase());
    } catch {
      throw new Error(`web transport: "${o}" is not an origin like https://chat.example.com`);
    }
  }
  return out;
}
