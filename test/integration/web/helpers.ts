import { WebSocket } from 'ws';
import type { AppSettings } from '../../../src/app.js';
import { WebTransport, type WebTransportOptions } from '../../../src/bots/web/index.js';
import type { ServerFrame } from '../../../src/bots/web/protocol.js';
import { FakeTransport } from '../../fakes/fake-transport.js';
import { silentLog } from '../../support/log.js';
import { startTestApp, type TestApp } from '../../support/app.js';

export const TEST_SECRET = 'test-web-secret-0123456789abcdef0123456789abcdef';

export interface WebWorld {
  readonly t: TestApp;
  readonly web: WebTransport;
  /** A Telegram-like platform sharing the pool with web visitors. */
  readonly fake: FakeTransport;
  readonly base: string;
  readonly wsUrl: string;
  settle(): Promise<void>;
  client(options?: ClientOptions): Promise<WebClient>;
  stop(): Promise<void>;
}

/** The whole service with the real web transport and a fake Telegram, on its own DB and Redis prefix. */
export async function startWebWorld(
  web: Partial<Omit<WebTransportOptions, 'http' | 'log'>> = {},
  overrides: Partial<AppSettings> = {},
): Promise<WebWorld> {
  const fake = new FakeTransport('telegram');
  let transport: WebTransport | undefined;
  const t = await startTestApp((http) => {
    transport = new WebTransport({ http, log: silentLog, secret: TEST_SECRET, graceS: 30, heartbeatMs: 60_000, ...web });
    return [transport, fake];
  }, overrides);
  if (!transport) throw new Error('web transport was not built');
  const base = `http://127.0.0.1:${t.app.port}`;
  const wsUrl = `ws://127.0.0.1:${t.app.port}/ws`;
  const clients: WebClient[] = [];
  return {
    t,
    web: transport,
    fake,
    base,
    wsUrl,
    settle: () => t.app.settle(),
    async client(options = {}) {
      const c = await WebClient.open(wsUrl, { origin: base, ...options });
      clients.push(c);
      return c;
    },
    async stop() {
      for (const c of clients) c.terminate();
      await t.stop();
    },
  };
}

export interface ClientOptions {
  readonly origin?: string | null;
}

type Frame<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>;

/** A protocol-level WebSocket client: what the page does, without a browser. */
export class WebClient {
  readonly frames: ServerFrame[] = [];
  private readonly waiters: { predicate: (f: ServerFrame) => boolean; resolve: (f: ServerFrame) => void }[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  id = '';
  token = '';
  private seq = 0;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const f = JSON.parse(data.toString('utf8')) as ServerFrame;
      this.frames.push(f);
      for (const w of [...this.waiters]) {
        if (w.predicate(f)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(f);
        }
      }
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  static open(url: string, options: ClientOptions = {}): Promise<WebClient> {
    const ws = new WebSocket(url, options.origin ? { origin: options.origin } : {});
    const client = new WebClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }

  send(body: Record<string, unknown>): void {
    this.ws.send(JSON.stringify({ v: 1, ...body }));
  }

  /** hello; resolves with the welcome and remembers the identity. */
  async hello(token?: string): Promise<Frame<'welcome'>> {
    const mark = this.frames.length;
    this.send({ type: 'hello', ...(token ? { token } : {}) });
    const w = await this.next('welcome', () => true, mark);
    this.id = w.id;
    this.token = w.token;
    return w;
  }

  /** Sends a chat message with a fresh client id; returns the id. */
  say(text: string, id = `m${Date.now().toString(36)}x${++this.seq}xxxxxx`): string {
    this.send({ type: 'message', id, text });
    return id;
  }

  /** The first frame of this type (at or after `from`) matching the predicate; waits for it. */
  next<T extends ServerFrame['type']>(type: T, predicate: (f: Frame<T>) => boolean = () => true, from = 0, timeoutMs = 5000): Promise<Frame<T>> {
    const match = (f: ServerFrame): boolean => f.type === type && predicate(f as Frame<T>);
    const existing = this.frames.slice(from).find(match);
    if (existing) return Promise.resolve(existing as Frame<T>);
    return new Promise((resolve, reject) => {
      const waiter = {
        predicate: (f: ServerFrame) => this.frames.indexOf(f) >= from && match(f),
        resolve: (f: ServerFrame) => resolve(f as Frame<T>),
      };
      this.waiters.push(waiter);
      setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) {
          this.waiters.splice(i, 1);
          reject(new Error(`no ${type} frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames.slice(from)).slice(0, 1500)}`));
        }
      }, timeoutMs).unref();
    });
  }

  notice(re: RegExp, from = 0, timeoutMs?: number): Promise<Frame<'notice'>> {
    return this.next('notice', (f) => re.test(f.text), from, timeoutMs);
  }

  state(status: string, from = 0): Promise<Frame<'state'>> {
    return this.next('state', (f) => f.status === status, from);
  }

  relayedTexts(): string[] {
    return this.frames.flatMap((f) => (f.type === 'relay' && f.content.kind === 'text' ? [f.content.text] : []));
  }

  notices(): string[] {
    return this.frames.flatMap((f) => (f.type === 'notice' ? [f.text] : []));
  }

  get mark(): number {
    return this.frames.length;
  }

  close(): Promise<{ code: number; reason: string }> {
    this.ws.close();
    return this.closed;
  }

  terminate(): void {
    this.ws.terminate();
  }
}

export const CONNECTED = /connected to a stranger/;

/** Two web visitors find and are paired; resolves with the session id. */
export async function pairWeb(a: WebClient, b: WebClient, interests: string[] = []): Promise<string> {
  const ma = a.mark;
  const mb = b.mark;
  a.send({ type: 'find', interests });
  b.send({ type: 'find', interests });
  await Promise.all([a.notice(CONNECTED, ma), b.notice(CONNECTED, mb)]);
  const [sa, sb] = await Promise.all([a.state('chatting', ma), b.state('chatting', mb)]);
  if (!sa.sessionId || sa.sessionId !== sb.sessionId) throw new Error('visitors were not paired with each other');
  return sa.sessionId;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
