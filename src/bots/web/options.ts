import type { HttpRoutes, Log } from '../../core/index.js';

export interface WebTransportOptions {
  /** The shared HTTP server: the page is served at `/` and `/assets/…`, the socket at `/ws`. */
  readonly http: HttpRoutes;
  readonly log: Log;
  /** HMAC key for visitor tokens (≥ 32 characters), or how to load it at start (stored setting). */
  readonly secret: string | (() => Promise<string>);
  /** WEB_GRACE_S: how long a dropped connection is held before the chat ends as a leave. */
  readonly graceS: number;
  /** A drop shorter than this (a page reload) is not announced to the partner. Default 1500 ms. */
  readonly awayNoticeDelayMs?: number;
  /** Origins besides the page's own that may open the socket (a separate front-end host). */
  readonly allowedOrigins?: readonly string[];
  /** Ping interval; a connection that missed one pong is closed. Default 25 s. */
  readonly heartbeatMs?: number;
  /** A connection must say hello within this. Default 10 s. */
  readonly helloTimeoutMs?: number;
  /** Open sockets at most (beyond: 503). Default 10 000. */
  readonly maxConnections?: number;
  /** Frames per connection: `burst` at once, `perSecond` sustained. Default 30 and 10. */
  readonly rateLimit?: { readonly burst: number; readonly perSecond: number };
  /** Frames kept for an away visitor; older ones are dropped first. Default 200. */
  readonly maxBufferedFrames?: number;
  /** Folder with index.html, app.css, app.js (default: the repo-root public/ folder). */
  readonly publicDir?: string;
}
