import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';

/** Gateway opcodes the fake speaks. */
export const Op = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  PresenceUpdate: 3,
  Resume: 6,
  Reconnect: 7,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
} as const;

export interface IdentifyRecord {
  readonly intents: number;
  readonly compress: unknown;
  readonly shard: unknown;
  readonly largeThreshold: unknown;
  readonly properties: unknown;
}

interface Session {
  readonly socket: WebSocket;
  seq: number;
  sessionId: string | undefined;
}

export interface FakeGatewayDeps {
  readonly token: string;
  readonly heartbeatIntervalMs: number;
  readonly url: () => string;
  readonly readyPayload: (sessionId: string) => Record<string, unknown>;
  readonly guildCreates: () => Record<string, unknown>[];
}

/**
 * The gateway half of the fake, at ws://127.0.0.1:PORT/gateway: HELLO on connect, READY and
 * one GUILD_CREATE per guild after a valid IDENTIFY, ACK for every heartbeat, RESUMED for a
 * known session, and dispatches pushed by tests.
 */
export class FakeGateway {
  readonly identifies: IdentifyRecord[] = [];
  /** The query string of each connection (discord.js asks for v=10&encoding=json). */
  readonly connections: Record<string, string>[] = [];
  heartbeats = 0;
  resumes = 0;
  private readonly sessions = new Set<Session>();
  private readonly knownSessionIds = new Set<string>();
  private server: WebSocketServer | undefined;

  constructor(private readonly deps: FakeGatewayDeps) {}

  attach(httpServer: Server): void {
    this.server = new WebSocketServer({ server: httpServer, path: '/gateway' });
    this.server.on('connection', (socket, request) => {
      const query = new URL(request.url ?? '/', 'http://fake.invalid').searchParams;
      this.connections.push(Object.fromEntries(query.entries()));
      const session: Session = { socket, seq: 0, sessionId: undefined };
      this.sessions.add(session);
      socket.on('message', (raw) => this.onMessage(session, raw));
      socket.on('close', () => this.sessions.delete(session));
      this.send(session, { op: Op.Hello, d: { heartbeat_interval: this.deps.heartbeatIntervalMs } });
    });
  }

  /** Sends a dispatch to every identified connection; returns how many received it. */
  dispatch(event: string, data: unknown): number {
    let count = 0;
    for (const session of this.sessions) {
      if (session.sessionId === undefined) continue;
      this.send(session, { op: Op.Dispatch, t: event, s: ++session.seq, d: data });
      count++;
    }
    return count;
  }

  get readySessions(): number {
    return [...this.sessions].filter((s) => s.sessionId !== undefined).length;
  }

  /** Asks every client to reconnect (op 7), as Discord does before moving a session. */
  requestReconnect(): void {
    for (const session of this.sessions) this.send(session, { op: Op.Reconnect, d: null });
  }

  async close(): Promise<void> {
    for (const session of this.sessions) session.socket.terminate();
    this.sessions.clear();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private onMessage(session: Session, raw: RawData): void {
    let payload: { op?: unknown; d?: unknown };
    try {
      payload = JSON.parse(rawText(raw)) as { op?: unknown; d?: unknown };
    } catch {
      session.socket.close(4002, 'Error while decoding payload.');
      return;
    }
    const d = (typeof payload.d === 'object' && payload.d !== null ? payload.d : {}) as Record<string, unknown>;
    switch (payload.op) {
      case Op.Heartbeat:
        this.heartbeats++;
        this.send(session, { op: Op.HeartbeatAck });
        return;
      case Op.Identify:
        this.identify(session, d);
        return;
      case Op.Resume:
        this.resume(session, d);
        return;
      default:
        return;
    }
  }

  private identify(session: Session, d: Record<string, unknown>): void {
    if (d.token !== this.deps.token) {
      session.socket.close(4004, 'Authentication failed.');
      return;
    }
    this.identifies.push({
      intents: typeof d.intents === 'number' ? d.intents : -1,
      compress: d.compress,
      shard: d.shard,
      largeThreshold: d.large_threshold,
      properties: d.properties,
    });
    const sessionId = randomBytes(16).toString('hex');
    session.sessionId = sessionId;
    this.knownSessionIds.add(sessionId);
    this.send(session, { op: Op.Dispatch, t: 'READY', s: ++session.seq, d: this.deps.readyPayload(sessionId) });
    for (const guild of this.deps.guildCreates()) {
      this.send(session, { op: Op.Dispatch, t: 'GUILD_CREATE', s: ++session.seq, d: guild });
    }
  }

  private resume(session: Session, d: Record<string, unknown>): void {
    const sessionId = typeof d.session_id === 'string' ? d.session_id : '';
    if (d.token !== this.deps.token || !this.knownSessionIds.has(sessionId)) {
      this.send(session, { op: Op.InvalidSession, d: false });
      return;
    }
    this.resumes++;
    session.sessionId = sessionId;
    session.seq = typeof d.seq === 'number' ? d.seq : 0;
    this.send(session, { op: Op.Dispatch, t: 'RESUMED', s: ++session.seq, d: {} });
  }

  private send(session: Session, payload: unknown): void {
    if (session.socket.readyState === session.socket.OPEN) session.socket.send(JSON.stringify(payload));
  }
}

function rawText(raw: RawData): string {
  if (Buffer.isBuffer(raw)) return raw.toString('utf8');
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
  return Buffer.from(raw).toString('utf8');
}
