import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import {
  DeliveryError,
  type Inbound,
  type InboundHandler,
  type Log,
  type MessageRef,
  type Outbound,
  type PresenceEvent,
  type PresenceHandler,
  type PresenceSource,
  type Transport,
  type TransportCapabilities,
  type TypingSink,
  type UserRef,
} from '../../core/index.js';
import { VisitorTokens } from './identity.js';
import { frameToInbounds } from './inbound-frames.js';
import type { WebTransportOptions } from './options.js';
import { normalizeOrigins, originAllowed } from './origin.js';
import { editFrame, outboundFrames } from './outbound-frames.js';
import { frame, MAX_FRAME_BYTES, MAX_TEXT, parseClientFrame, type ErrorCode, type ServerFrame, type WebState } from './protocol.js';
import { FrameBucket } from './rate-limit.js';
import { StaticFiles } from './static-files.js';

export const WEB_CAPABILITIES: TransportCapabilities = {
  // Text, and photos when the relay gives a fetchable URL (else the page shows a notice).
  kinds: new Set(['text', 'photo']),
  maxTextLength: MAX_TEXT,
  canEdit: true,
  canDelete: true,
};

export const WS_PATH = '/ws';
const OFFLINE: WebState = { status: 'offline', sessionId: null };
/** A socket whose unsent data grows past this is treated as dropped (a stalled client). */
const MAX_SOCKET_BACKLOG = 1024 * 1024;
/** Frames refused for speed before the connection is closed as abusive. */
const MAX_REFUSED_FRAMES = 200;
const MAX_TOMBSTONES = 10_000;
/** Typing signals forwarded per visitor at most this often (the page sends one every 2.5 s). */
const TYPING_EVERY_MS = 1000;

interface Connection {
  readonly ws: WebSocket;
  readonly bucket: FrameBucket;
  visitor: Visitor | null;
  alive: boolean;
  refused: number;
  lastRateNotice: number;
  helloTimer: NodeJS.Timeout | undefined;
}

/** One anonymous visitor: at most one live connection, else held for the grace period. */
class Visitor {
  conn: Connection | null = null;
  /** False until `welcome` went out on the current connection; frames wait in `buffer` until then. */
  ready = false;
  buffer: ServerFrame[] = [];
  dropped = 0;
  awayTimer: NodeJS.Timeout | undefined;
  graceTimer: NodeJS.Timeout | undefined;
  /** The away delay passed without the visitor coming back. */
  awayFired = false;
  /** The partner of a live chat was told the connection dropped (so is told when it is back). */
  awayReported = false;
  refreshQueued = false;
  lastTypingAt = 0;
  /**
   * The core may know this visitor (a returning token, a frame handed to the core, a delivery
   * from it). A page view that never did anything needs no grace period and no user row.
   */
  known = false;
  /** Presence calls, inbound frames and expiry of one visitor run one after another. */
  chain: Promise<void> = Promise.resolve();

  constructor(readonly id: string) {}

  get ref(): UserRef {
    return { platform: 'web', externalId: this.id };
  }

  clearTimers(): void {
    clearTimeout(this.awayTimer);
    clearTimeout(this.graceTimer);
    this.awayTimer = undefined;
    this.graceTimer = undefined;
  }
}

const rawText = (data: RawData): string => {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
};

/**
 * The web page as a core Transport: serves the page on the shared HTTP server and speaks
 * the JSON protocol of ./protocol.ts over a WebSocket. A visitor whose connection drops is
 * held for the grace period: frames for them are buffered (bounded) and flushed when they
 * come back; when the period ends in a search or chat, the core is sent /stop on their
 * behalf, so the partner is told the stranger left. Afterwards send() fails as permanent.
 */
export class WebTransport implements Transport, PresenceSource, TypingSink {
  readonly platform = 'web' as const;
  readonly capabilities = WEB_CAPABILITIES;

  private handler: InboundHandler | undefined;
  private presence: PresenceHandler | undefined;
  private tokens: VisitorTokens | undefined;
  private readonly wss: WebSocketServer;
  private readonly files: StaticFiles;
  private readonly origins: ReadonlySet<string>;
  private readonly visitors = new Map<string, Visitor>();
  /** Visitors whose grace period ended here: sends to them fail as permanent. */
  private readonly gone = new Map<string, number>();
  private readonly connections = new Set<Connection>();
  private heartbeat: NodeJS.Timeout | undefined;
  private state: 'new' | 'running' | 'stopped' = 'new';
  private readonly bootId = randomBytes(3).toString('hex');
  private seq = 0;
  private readonly graceMs: number;
  private readonly awayDelayMs: number;
  private readonly log: Log;

  constructor(private readonly opts: WebTransportOptions) {
    if (!Number.isFinite(opts.graceS) || opts.graceS < 0) throw new Error('web transport: graceS must be 0 or more');
    this.log = opts.log.child({ platform: 'web' });
    this.graceMs = opts.graceS * 1000;
    this.awayDelayMs = opts.awayNoticeDelayMs ?? 1500;
    this.origins = normalizeOrigins(opts.allowedOrigins ?? []);
    this.files = new StaticFiles(opts.publicDir);
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false, clientTracking: false });
    // Prefix routes match in registration order, and "/" matches every path: it goes last
    // and answers 404 itself for anything but the page.
    opts.http.route('GET', '/assets/', this.files.asset);
    opts.http.route('GET', '/', this.files.page);
    opts.http.upgrade(WS_PATH, this.upgrade);
  }

  onInbound(handler: InboundHandler): void {
    this.handler = handler;
  }

  onPresence(handler: PresenceHandler): void {
    this.presence = handler;
  }

  async start(): Promise<void> {
    if (this.state !== 'new') return;
    const secret = typeof this.opts.secret === 'string' ? this.opts.secret : await this.opts.secret();
    this.tokens = new VisitorTokens(secret);
    this.state = 'running';
    const every = this.opts.heartbeatMs ?? 25_000;
    this.heartbeat = setInterval(() => this.beat(), every);
    this.heartbeat.unref();
  }

  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    clearInterval(this.heartbeat);
    for (const v of this.visitors.values()) v.clearTimers();
    for (const c of this.connections) {
      clearTimeout(c.helloTimer);
      c.ws.close(1001, 'server stopping');
    }
    const chains = [...this.visitors.values()].map((v) => v.chain);
    await Promise.race([Promise.all(chains), new Promise((r) => setTimeout(r, 2000).unref())]);
    for (const c of this.connections) c.ws.terminate();
    this.wss.close();
  }

  send(to: UserRef, outbound: Outbound): Promise<MessageRef[]> {
    return settle(() => {
      const visitor = this.visitorFor(to);
      const frames = outboundFrames(outbound, visitor.id, () => this.nextId(), new Date());
      for (const f of frames) this.deliver(visitor, f);
      // The person's state may have changed (search started, chat connected or ended).
      if (outbound.kind === 'notice') this.refresh(visitor);
      return frames.map((f) => ({ platform: 'web' as const, chatId: visitor.id, messageId: 'id' in f ? f.id : this.nextId() }));
    });
  }

  edit(ref: MessageRef, outbound: Outbound): Promise<void> {
    return settle(() => this.deliver(this.visitorFor({ platform: 'web', externalId: ref.chatId }), editFrame(ref.messageId, outbound)));
  }

  delete(ref: MessageRef): Promise<void> {
    return settle(() => this.deliver(this.visitorFor({ platform: 'web', externalId: ref.chatId }), frame({ type: 'delete', id: ref.messageId })));
  }

  /** Partner typing: shown only on a live page, never buffered. */
  showTyping(to: UserRef): Promise<void> {
    const visitor = this.visitors.get(to.externalId);
    if (visitor?.conn && visitor.ready) this.write(visitor.conn, frame({ type: 'typing' }));
    return Promise.resolve();
  }

  /** Live connections and held visitors (tests, metrics). */
  get stats(): { connections: number; visitors: number; held: number } {
    let held = 0;
    for (const v of this.visitors.values()) if (!v.conn) held++;
    return { connections: this.connections.size, visitors: this.visitors.size, held };
  }

  /* ---- connections ---- */

  private readonly upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    if (this.state !== 'running') return reject(socket, 503, 'Service Unavailable');
    if (!originAllowed(req, this.origins)) {
      this.log.info({ origin: req.headers.origin?.slice(0, 200) }, 'web socket refused: foreign origin');
      return reject(socket, 403, 'Forbidden');
    }
    if (this.connections.size >= (this.opts.maxConnections ?? 10_000)) return reject(socket, 503, 'Service Unavailable');
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  };

  private accept(ws: WebSocket): void {
    const rate = this.opts.rateLimit ?? { burst: 30, perSecond: 10 };
    const conn: Connection = {
      ws,
      bucket: new FrameBucket(rate.burst, rate.perSecond),
      visitor: null,
      alive: true,
      refused: 0,
      lastRateNotice: 0,
      helloTimer: setTimeout(() => ws.close(4002, 'hello expected'), this.opts.helloTimeoutMs ?? 10_000),
    };
    conn.helloTimer?.unref();
    this.connections.add(conn);
    ws.on('pong', () => {
      conn.alive = true;
    });
    ws.on('message', (data, isBinary) => this.onMessage(conn, data, isBinary));
    ws.on('close', () => this.onClose(conn));
    ws.on('error', (err) => this.log.debug({ err }, 'web socket error'));
  }

  private beat(): void {
    for (const c of this.connections) {
      if (!c.alive) {
        c.ws.terminate();
        continue;
      }
      c.alive = false;
      c.ws.ping();
    }
  }

  private onMessage(conn: Connection, data: RawData, isBinary: boolean): void {
    conn.alive = true;
    if (!conn.bucket.take()) {
      if (++conn.refused > MAX_REFUSED_FRAMES) {
        conn.ws.close(1008, 'too many frames');
        return;
      }
      const now = Date.now();
      if (now - conn.lastRateNotice > 1000) {
        conn.lastRateNotice = now;
        this.error(conn, 'rate_limited', "You're going too fast; that was not sent. Wait a moment and try again.");
      }
      return;
    }
    if (isBinary) return this.error(conn, 'binary', 'Frames must be JSON text.');
    const parsed = parseClientFrame(rawText(data));
    if (!parsed.ok) {
      this.error(conn, parsed.code, parsed.message);
      if (parsed.code === 'unsupported_version') conn.ws.close(4000, 'unsupported protocol version');
      return;
    }
    const f = parsed.frame;
    if (f.type === 'hello') return this.hello(conn, f.token);
    const visitor = conn.visitor;
    if (!visitor || visitor.conn !== conn) return this.error(conn, 'hello_first', 'Say hello first.');
    const outcome = frameToInbounds(f, visitor.ref, new Date());
    switch (outcome.kind) {
      case 'refused':
        return this.error(conn, 'unknown_action', outcome.message);
      case 'typing':
        return this.typing(visitor);
      case 'inbound':
        visitor.known = true;
        this.enqueue(visitor, async () => {
          for (const inbound of outcome.inbounds) await this.dispatch(inbound);
          if (outcome.ackId) this.deliver(visitor, frame({ type: 'ack', id: outcome.ackId }));
        });
    }
  }

  private hello(conn: Connection, token: string | undefined): void {
    const tokens = this.tokens;
    if (!tokens) return; // not started: upgrades are refused until then
    if (conn.visitor) return this.error(conn, 'bad_frame', 'Hello was already said on this connection.');
    clearTimeout(conn.helloTimer);
    const known = token ? tokens.verify(token) : null;
    const identity = known && token ? { id: known, token } : tokens.mint();
    let visitor = this.visitors.get(identity.id);
    if (!visitor) {
      visitor = new Visitor(identity.id);
      this.visitors.set(identity.id, visitor);
    }
    this.gone.delete(identity.id);
    const previous = visitor.conn;
    if (previous && previous !== conn) {
      // The same visitor opened the chat elsewhere (a duplicated tab): the newest page wins.
      this.error(previous, 'replaced', 'This chat was opened in another tab or window.');
      previous.visitor = null;
      previous.ws.close(4001, 'replaced');
    }
    visitor.clearTimers();
    visitor.conn = conn;
    visitor.ready = false;
    if (known) visitor.known = true;
    conn.visitor = visitor;
    const event: PresenceEvent = visitor.awayReported ? 'back' : 'check';
    visitor.awayReported = false;
    visitor.awayFired = false;
    this.log.debug({ visitor: identity.id, returning: known !== null }, 'web visitor connected');
    const v = visitor;
    this.enqueue(v, async () => {
      // A brand-new identity has no chats; a returning one learns where it stands.
      const state = known ? await this.ask(v, event) : OFFLINE;
      if (v.conn !== conn) return; // dropped or replaced meanwhile; its frames stay buffered
      this.write(conn, frame({ type: 'welcome', id: identity.id, token: identity.token, state, graceS: this.opts.graceS, maxText: MAX_TEXT }));
      if (v.dropped > 0) {
        this.write(
          conn,
          frame({ type: 'notice', id: this.nextId(), at: new Date().toISOString(), text: `${v.dropped} earlier message(s) could not be kept while you were away.` }),
        );
      }
      // State frames buffered earlier are older than the welcome's state.
      for (const f of v.buffer) if (f.type !== 'state') this.write(conn, f);
      v.buffer = [];
      v.dropped = 0;
      v.ready = true;
    });
  }

  private onClose(conn: Connection): void {
    this.connections.delete(conn);
    clearTimeout(conn.helloTimer);
    const visitor = conn.visitor;
    if (!visitor || visitor.conn !== conn) return;
    visitor.conn = null;
    visitor.ready = false;
    if (this.state !== 'running') return;
    if (visitor.known) this.hold(visitor);
    else this.visitors.delete(visitor.id); // never did anything: nothing to hold
  }

  /* ---- the grace period ---- */

  private hold(visitor: Visitor): void {
    visitor.clearTimers();
    visitor.awayFired = false;
    if (this.awayDelayMs < this.graceMs) {
      visitor.awayTimer = setTimeout(() => {
        visitor.awayFired = true;
        this.enqueue(visitor, async () => {
          if (visitor.conn) return;
          const state = await this.ask(visitor, 'away');
          visitor.awayReported = state.status === 'chatting';
        });
      }, this.awayDelayMs);
      visitor.awayTimer.unref();
    }
    visitor.graceTimer = setTimeout(() => this.enqueue(visitor, () => this.expire(visitor)), this.graceMs);
    visitor.graceTimer.unref();
  }

  private async expire(visitor: Visitor): Promise<void> {
    if (visitor.conn || this.state !== 'running') return;
    const state = await this.ask(visitor, 'check');
    if (visitor.conn) return;
    if (state.status !== 'offline') {
      // Ends the chat as a leave ("The stranger left the chat.") or cancels the search.
      this.log.debug({ visitor: visitor.id, status: state.status }, 'web visitor did not come back; leaving');
      await this.dispatch({
        kind: 'command',
        name: 'stop',
        args: '',
        userRef: visitor.ref,
        updateId: `${visitor.id}:grace:${randomUUID()}`,
        receivedAt: new Date(),
      });
    }
    if (visitor.conn) return;
    visitor.clearTimers();
    this.visitors.delete(visitor.id);
    this.gone.set(visitor.id, Date.now());
    if (this.gone.size > MAX_TOMBSTONES) {
      const oldest = this.gone.keys().next();
      if (!oldest.done) this.gone.delete(oldest.value);
    }
  }

  /**
   * The visitor a delivery is for. One this process has never seen (it restarted, say) is
   * held like a dropped connection, so a page that reconnects in time gets everything.
   */
  private visitorFor(to: UserRef): Visitor {
    if (this.state !== 'running') throw new DeliveryError('transient', 'stopped', 'the web transport is not running');
    const held = this.visitors.get(to.externalId);
    if (held) {
      held.known = true;
      return held;
    }
    if (this.gone.has(to.externalId)) {
      throw new DeliveryError('permanent', 'gone', 'the web visitor left and did not come back in time');
    }
    const visitor = new Visitor(to.externalId);
    visitor.known = true;
    this.visitors.set(visitor.id, visitor);
    this.hold(visitor);
    return visitor;
  }

  /* ---- frames ---- */

  /** To the live page, or into the bounded buffer while the visitor is away or resuming. */
  private deliver(visitor: Visitor, f: ServerFrame): void {
    const conn = visitor.conn;
    if (conn && conn.ws.bufferedAmount > MAX_SOCKET_BACKLOG) {
      this.log.info({ visitor: visitor.id }, 'web socket stalled; treating it as dropped');
      conn.ws.terminate();
    } else if (conn && visitor.ready && conn.ws.readyState === WebSocket.OPEN) {
      this.write(conn, f);
      return;
    }
    if (f.type === 'typing') return;
    if (visitor.buffer.length >= (this.opts.maxBufferedFrames ?? 200)) {
      visitor.buffer.shift();
      visitor.dropped++;
    }
    visitor.buffer.push(f);
  }

  private write(conn: Connection, f: ServerFrame): void {
    if (conn.ws.readyState === WebSocket.OPEN) conn.ws.send(JSON.stringify(f));
  }

  private error(conn: Connection, code: ErrorCode, message: string): void {
    this.write(conn, frame({ type: 'error', code, message }));
  }

  private nextId(): string {
    return `s-${this.bootId}-${(++this.seq).toString(36)}`;
  }

  /* ---- the core ---- */

  private enqueue(visitor: Visitor, task: () => Promise<void>): void {
    visitor.chain = visitor.chain.then(task).catch((err: unknown) => this.log.error({ err }, 'web visitor task failed'));
  }

  private async dispatch(inbound: Inbound): Promise<void> {
    if (!this.handler) {
      this.log.warn({ kind: inbound.kind }, 'web frame dropped: no inbound handler');
      return;
    }
    await this.handler(inbound);
  }

  private async ask(visitor: Visitor, event: PresenceEvent): Promise<WebState> {
    if (!this.presence) return OFFLINE;
    try {
      const s = await this.presence(visitor.ref, event);
      return { status: s.status, sessionId: s.sessionId };
    } catch (err) {
      this.log.warn({ err, event }, 'web presence lookup failed');
      return OFFLINE;
    }
  }

  /** After a notice: tell the page where it stands now (searching, chatting, offline). */
  private refresh(visitor: Visitor): void {
    if (!this.presence || visitor.refreshQueued) return;
    visitor.refreshQueued = true;
    this.enqueue(visitor, async () => {
      visitor.refreshQueued = false;
      // Paired while away: the new partner should hear that the connection is down.
      const event: PresenceEvent = !visitor.conn && visitor.awayFired && !visitor.awayReported ? 'away' : 'check';
      const state = await this.ask(visitor, event);
      if (event === 'away') visitor.awayReported = state.status === 'chatting';
      this.deliver(visitor, frame({ type: 'state', ...state }));
    });
  }

  private typing(visitor: Visitor): void {
    const now = Date.now();
    if (!this.presence || !visitor.known || now - visitor.lastTypingAt < TYPING_EVERY_MS) return;
    visitor.lastTypingAt = now;
    this.presence(visitor.ref, 'typing').catch((err: unknown) => this.log.debug({ err }, 'typing signal failed'));
  }
}

/** Runs synchronous work as a promise: a throw becomes a rejection, as callers of the port expect. */
function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}

function reject(socket: Duplex, status: number, text: string): void {
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\n\r\n${text}`);
}
