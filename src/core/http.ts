import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * The one HTTP server on HTTP_PORT is shared: health checks, the Telegram webhook and
 * the web chat all mount here. Paths match exactly or, when ending in "/", by prefix.
 */
export interface HttpRoutes {
  route(method: 'GET' | 'POST' | 'HEAD', path: string, handler: RequestHandler): void;
  upgrade(path: string, handler: UpgradeHandler): void;
}
