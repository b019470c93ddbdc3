import { randomBytes } from 'node:crypto';
import { createApp, type App } from './app.js';
import { DiscordTransport } from './bots/discord/index.js';
import { deriveWebhookSecrets, TelegramTransport } from './bots/telegram/index.js';
import { WebTransport } from './bots/web/index.js';
import type { PrismaSettingsRepository } from './db/repos/index.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import type { HttpServer } from './http/server.js';
import { createLogger } from './logger.js';
import type { Log, Transport } from './core/index.js';
import { MigrationError } from './db/migration-errors.js';
import { DatabaseSetupError } from './db/ensure-database.js';

/** AppSetting key: the Telegram chats given the /mod menu at the last start. */
const MODERATOR_MENUS_SETTING = 'telegram_moderator_menus';

/** Builds the transports whose tokens are configured. */
function buildTransports(config: Config, log: Log, http: HttpServer, stored: PrismaSettingsRepository): Transport[] {
  const transports: Transport[] = [];
  // The web page needs no token, so it is always on: a fresh clone can be tried in two tabs.
  transports.push(
    new WebTransport({
      http,
      log,
      graceS: config.webGraceS,
      // WEB_SECRET, else the one stored on first start (AppSetting "web_secret").
      secret:
        config.webSecret ??
        (() => stored.getOrCreate('web_secret', () => randomBytes(32).toString('hex'))),
    }),
  );
  let telegram: TelegramTransport | undefined;
  if (config.telegram) {
    const { token, apiRoot, webhookUrl } = config.telegram;
    telegram = new TelegramTransport({
      token,
      apiRoot,
      log,
      // MODERATORS `telegram:<id>`: they alone get /mod in their chat's command menu.
      moderatorChatIds: config.moderators.filter((m) => m.platform === 'telegram').map((m) => m.externalId),
      moderatorMenuMemory: {
        previous: () => stored.getList(MODERATOR_MENUS_SETTING),
        remember: (chatIds) => stored.setList(MODERATOR_MENUS_SETTING, chatIds),
      },
      ...(webhookUrl ? { webhook: { url: webhookUrl, ...deriveWebhookSecrets(token), routes: http } } : {}),
    });
    transports.push(telegram);
  }
  if (config.discord) {
    const { token, applicationId, apiRoot, modGuildId, modRoleId } = config.discord;
    transports.push(
      new DiscordTransport({
        token,
        applicationId,
        log,
        ...(apiRoot ? { apiRoot } : {}),
        ...(modGuildId && modRoleId ? { moderation: { guildId: modGuildId, roleId: modRoleId } } : {}),
        // Telegram file handles carry no URL (it would contain the bot token): fetch the bytes through the Telegram adapter.
        ...(telegram ? { fileFetcher: telegram.fetchFile } : {}),
      }),
    );
  }
  if (!config.telegram && !config.discord) {
    log.warn('no chat platform is configured (TELEGRAM_BOT_TOKEN, DISCORD_TOKEN): only the web chat runs');
  }
  return transports;
}

const SHUTDOWN_GRACE_MS = 8000;

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      // One clear line for the operator, no stack trace.
      process.stderr.write(`echosoul: configuration error: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);

  // Signal handlers go in before anything starts: /healthz answers while the transports are
  // still starting, and a SIGTERM in that gap must stop the service cleanly, not kill it.
  let app: App | undefined;
  let stopSignal: string | undefined;
  const stop = (running: App) => {
    running
      .stop()
      .then(() => {
        log.info('stopped');
        process.exit(0);
      })
      .catch((err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  const shutdown = (signal: string) => {
    if (stopSignal) return;
    stopSignal = signal;
    log.info({ signal, starting: !app }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    // While starting, the stop waits for createApp to hand over what it started.
    if (app) stop(app);
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  try {
    app = await createApp(config, log, (http, stored) => buildTransports(config, log, http, stored));
  } catch (err) {
    if (err instanceof MigrationError || err instanceof DatabaseSetupError) {
      process.stderr.write(`echosoul: ${err.message}\n`);
      process.exit(1);
    }
    log.fatal({ err }, 'start failed');
    process.exit(1);
  }
  if (stopSignal) {
    stop(app);
    return;
  }
  log.info({ port: app.port }, 'EchoSoul is running');
}

void main();
