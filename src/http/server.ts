import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { HttpRoutes, Log, RequestHandler, UpgradeHandler } from '../core/index.js';

interface Route {
  readonly method: string;
  readonly path: string;
  readonly handler: RequestHandler;
}

const matches = (pattern: string, path: string): boolean =>
  pattern.endsWith('/') ? path.startsWith(pattern) : path === pattern;

export class HttpServer implements HttpRoutes {
  private readonly routes: Route[] = [];
  private readonly upgrades: { path: string; handler: UpgradeHandler }[] = [];
  private readonly server: Server;
  private readonly sockets = new Set<Duplex>();

  constructor(private readonly log: Log) {
    this.server = createServer((req, res) => void this.dispatch(req, res));
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.dispatchUpgrade(req, socket, head));
    // Tracked so stop() can end keep-alive and WebSocket connections instead of waiting on them.
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  route(method: 'GET' | 'POST' | 'HEAD', path: string, handler: RequestHandler): void {
    this.routes.push({ method, path, handler });
  }

  upgrade(path: string, handler: UpgradeHandler): void {
    this.upgrades.push({ path, handler });
  }

  async listen(port: number, host = '0.0.0.0'): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : port;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private pathOf(req: IncomingMessage): string {
    return new URL(req.url ?? '/', 'http://localhost').pathname;
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = this.pathOf(req);
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
    const route =
      this.routes.find((r) => r.method === method && r.path === path) ??
      this.routes.find((r) => r.method === method && matches(r.path, path));
    if (!route) {
      const known = this.routes.some((r) => matches(r.path, path));
      res.writeHead(known ? 405 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: known ? 'method not allowed' : 'not found' }));
      return;
    }
    try {
      await route.handler(req, res);
    } catch (err) {
      this.log.error({ err, path: route.path }, 'http handler failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'internal error' }));
    }
  }

  private dispatchUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = this.pathOf(req);
    const target = this.upgrades.find((u) => matches(u.path, path));
    if (!target) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    try {
      target.handler(req, socket, head);
    } catch (err) {
      this.log.error({ err, path }, 'upgrade handler failed');
      socket.destroy();
    }
  }
}

export const sendJson = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
};
