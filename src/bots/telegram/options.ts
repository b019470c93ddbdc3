import type { FileHandle, HttpRoutes, Log } from '../../core/index.js';

/** Webhook mode: Telegram posts updates to an endpoint on the HTTP server main.ts owns. */
export interface TelegramWebhookOptions {
  /**
   * Public base URL that reaches main's HTTP server (TELEGRAM_WEBHOOK_URL), e.g.
   * `https://bot.example.com`. The webhook is `<url>/telegram/<secretPathToken>`; a path in
   * the URL is kept, and a reverse proxy must forward the path unchanged.
   */
  readonly url: string;
  /** Secret path segment ([A-Za-z0-9_-], 16-128 chars); see deriveWebhookSecrets(). */
  readonly secretPathToken: string;
  /** Telegram's secret_token (1-256 of [A-Za-z0-9_-]); requests without it are refused with 403. */
  readonly secretToken: string;
  /**
   * main's HTTP server (HTTP_PORT). start() mounts `POST <path of the webhook URL>` on it,
   * before setWebhook, so the route exists when Telegram first posts.
   */
  readonly routes: Pick<HttpRoutes, 'route'>;
  /** setWebhook's max_connections (1-100); Telegram's default 40 when unset. */
  readonly maxConnections?: number;
}

export interface TelegramTransportOptions {
  readonly token: string;
  /** Bot API base URL (TELEGRAM_API_ROOT); `https://api.telegram.org` when unset. */
  readonly apiRoot?: string;
  /** Long polling when unset. */
  readonly webhook?: TelegramWebhookOptions;
  readonly log: Log;
  /** getUpdates timeout in seconds, default 50. Tests use 1. */
  readonly pollTimeoutS?: number;
  /** How long to wait for the next item of an album, default 500 ms. */
  readonly albumWindowMs?: number;
  /** Timeout of one Bot API call, default 30 s. */
  readonly requestTimeoutMs?: number;
  /** Timeout of a call that uploads a file, default 120 s. */
  readonly uploadTimeoutMs?: number;
  /** Waits between attempts when the core handler throws; default [250, 1000] (3 attempts). */
  readonly handlerRetryDelaysMs?: readonly number[];
  /** Cap for files fetched from other platforms, default 20 MB. */
  readonly maxForeignFileBytes?: number;
  /**
   * Bytes of a file from another platform that has no `url` (main.ts wires the owning
   * adapter); null when it cannot be produced. Files with a url are fetched directly.
   */
  readonly fileFetcher?: (file: FileHandle) => Promise<{ readonly data: Buffer; readonly fileName: string } | null>;
  /**
   * Telegram user ids of the configured moderators (MODERATORS entries `telegram:<id>`; a
   * private chat's id is its user's id). At start each gets `/mod` in the command menu of
   * their own chat only; the default menu never shows it.
   */
  readonly moderatorChatIds?: readonly string[];
  /**
   * The moderator chats given the /mod menu at the last start (main.ts keeps them in
   * AppSetting). Chats no longer configured get their menu taken back at start.
   */
  readonly moderatorMenuMemory?: ModeratorMenuMemory;
}

export interface ModeratorMenuMemory {
  previous(): Promise<readonly string[]>;
  remember(chatIds: readonly string[]): Promise<void>;
}
