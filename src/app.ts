import type { ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import {
  Buttons,
  Commands,
  ConfiguredModerators,
  InboundRouter,
  isModeratorSource,
  isPresenceSource,
  ModerationService,
  ModeratorDesk,
  PresenceService,
  type CoreServices,
  type Log,
  type MatchExclusion,
  type MatchingPort,
  type ModeratorRoleCheck,
  type PairSink,
  type Platform,
  type Transport,
  type UserRef,
} from './core/index.js';
import type { Config } from './config.js';
import { createPrisma, type PrismaClient } from './db/client.js';
import { ensureDatabase } from './db/ensure-database.js';
import { MIGRATIONS_DIR, migrate } from './db/migrate.js';
import {
  PrismaFeedbackRepository,
  PrismaMessageRepository,
  PrismaModerationRepository,
  PrismaReportRepository,
  PrismaSessionRepository,
  PrismaSettingsRepository,
  PrismaUserRepository,
} from './db/repos/index.js';
import { PrismaModerationInsights } from './db/repos/moderation-insights.js';
import { PrismaModerationStore } from './db/repos/moderation-store.js';
import { HttpServer } from './http/server.js';
import { mountHealth } from './http/health.js';
import { BanExpiry } from './jobs/ban-expiry.js';
import { IdleTimeouts } from './jobs/idle-timeouts.js';
import { RetentionPurge } from './jobs/retention.js';
import { Delivery } from './relay/delivery.js';
import { FloodControl } from './relay/flood.js';
import { Pacer, PLATFORM_LIMITS, type PacerLimits } from './relay/pacer.js';
import { Relay } from './relay/relay.js';
import { SessionService } from './relay/session-service.js';
import { RedisUpdateLedger } from './relay/update-ledger.js';
import { createMatcher, type MatcherHandle } from './matcher-wiring.js';

/** How far back undelivered messages are still worth delivering after a restart. */
const RESUME_LOOKBACK_MS = 60 * 60 * 1000;
/** Younger messages may still be in another process's queue. */
const DEFAULT_RESUME_GRACE_MS = 5000;

/** Everything the running service needs to know, already validated (see config.ts). */
/** What the service needs from the configuration, plus the knobs tests turn. */
export interface AppSettings
  extends Pick<
    Config,
    | 'databaseUrl'
    | 'redisUrl'
    | 'redisPrefix'
    | 'httpPort'
    | 'matchWindowMs'
    | 'searchTimeoutS'
    | 'idleTimeoutS'
    | 'floodMax'
    | 'floodWindowS'
    | 'retentionDays'
  > {
  readonly httpHost?: string;
  readonly pacerLimits?: PacerLimits;
  /** Only messages logged at least this long before start are delivered again (default 5 s). */
  readonly resumeGraceMs?: number;
  /** Retry backoff base for transient delivery failures (tests shorten it). */
  readonly deliveryBackoffMs?: number;
  /** MODERATORS: platform accounts that may use /mod. */
  readonly moderators?: readonly UserRef[];
  /**
   * Who else is a moderator (Discord: a role in DISCORD_MOD_GUILD_ID). Default: ask the
   * user's transport when it can tell (DiscordTransport.isModerator), else nobody.
   */
  readonly moderatorRoleCheck?: ModeratorRoleCheck;
  /** The core's clock; tests move it to let bans expire. */
  readonly now?: () => Date;
}

export interface App {
  readonly prisma: PrismaClient;
  readonly redis: Redis;
  readonly http: HttpServer;
  readonly router: InboundRouter;
  readonly delivery: Delivery;
  readonly sessions: SessionService;
  readonly matching: MatchingPort;
  readonly matcher: MatcherHandle;
  readonly idle: IdleTimeouts;
  readonly retention: RetentionPurge;
  readonly moderation: ModerationService;
  readonly banExpiry: BanExpiry;
  readonly core: CoreServices;
  readonly port: number;
  /** Resolves when no inbound or delivery work is pending (tests). */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The composition root shared by main.ts and the end-to-end tests: config in, a running
 * service out. Transports are built by the caller (from tokens, or fakes in tests) and
 * only started here once every service they feed is ready.
 */
export async function createApp(
  settings: AppSettings,
  log: Log,
  /** `stored`: AppSetting over the app's own client, for what transports keep between starts. */
  transportsFor: (http: HttpServer, stored: PrismaSettingsRepository) => Transport[],
): Promise<App> {
  await ensureDatabase({ databaseUrl: settings.databaseUrl, log });
  const applied = await migrate({ databaseUrl: settings.databaseUrl, migrationsDir: MIGRATIONS_DIR, log });
  if (applied.length > 0) log.info({ applied }, 'migrations applied');

  const prisma = createPrisma(settings.databaseUrl, { log });
  const redis = new Redis(settings.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3 });
  redis.on('error', (err) => log.warn({ err }, 'redis connection error'));
  await redis.connect();
  // BullMQ workers block on Redis and must not give up on retries (its own requirement).
  const bullConnection: ConnectionOptions = { url: settings.redisUrl, maxRetriesPerRequest: null };

  const now = settings.now ?? (() => new Date());
  const users = new PrismaUserRepository(prisma);
  const sessionsRepo = new PrismaSessionRepository(prisma);
  const messages = new PrismaMessageRepository(prisma);
  const feedback = new PrismaFeedbackRepository(prisma);
  const reports = new PrismaReportRepository(prisma);
  const moderation = new PrismaModerationRepository(prisma, now);

  const http = new HttpServer(log);
  mountHealth(http, {
    postgres: async () => {
      await prisma.$queryRaw`SELECT 1`;
    },
    redis: async () => {
      await redis.ping();
    },
  });

  const transports = transportsFor(http, new PrismaSettingsRepository(prisma));
  const byPlatform = new Map<Platform, Transport>(transports.map((t) => [t.platform, t]));

  const matcher = createMatcher({ redis, connection: bullConnection, prefix: settings.redisPrefix, windowMs: settings.matchWindowMs, searchTimeoutS: settings.searchTimeoutS, log });
  const matching = matcher.port;

  const idle = new IdleTimeouts({ redis, connection: bullConnection, prefix: settings.redisPrefix, idleMs: settings.idleTimeoutS * 1000, log });
  const pacer = new Pacer(settings.pacerLimits ?? PLATFORM_LIMITS);

  // Delivery and the session service refer to each other (an unreachable recipient ends
  // its session; ending a session sends notices): the callback below runs only after
  // `sessions` is initialized.
  const delivery = new Delivery(byPlatform, pacer, log, {
    ...(settings.deliveryBackoffMs !== undefined ? { baseBackoffMs: settings.deliveryBackoffMs } : {}),
    onUnreachable: async (to) => {
      const user = await users.resolve(to);
      const live = await sessions.current(user.id);
      if (live) await sessions.end(live.sessionId, 'unreachable', user.id);
      await matching.cancelSearch(user.id);
    },
  });
  const sessions = new SessionService({ users, sessions: sessionsRepo, matching, outbox: delivery, activity: idle, log, now });

  const core: CoreServices = {
    users,
    sessions: sessionsRepo,
    messages,
    feedback,
    reports,
    moderation,
    matching,
    sessionControl: sessions,
    now,
    log,
  };

  // Moderation (src/core/moderation): MODERATORS plus any platform role check; bans and
  // suspensions live in Postgres and are mirrored into the matcher's exclusion list.
  const directory = new ConfiguredModerators(
    settings.moderators ?? [],
    settings.moderatorRoleCheck ??
      (async (ref) => {
        const t = byPlatform.get(ref.platform);
        return t !== undefined && isModeratorSource(t) ? t.isModerator(ref) : false;
      }),
  );
  const exclusion: MatchExclusion = {
    exclude: async (userId, until) =>
      (await (until ? matcher.matchmaker.ban(userId, until.getTime()) : matcher.matchmaker.ban(userId))) === 'cancelled',
    lift: (userId) => matcher.matchmaker.unban(userId),
  };
  const modStore = new PrismaModerationStore(prisma);
  const banExpiry = new BanExpiry({ connection: bullConnection, prefix: settings.redisPrefix, log, now });
  const moderationService = new ModerationService({
    users,
    reports,
    moderation,
    store: modStore,
    exclusion,
    sessionControl: sessions,
    outbox: delivery,
    directory,
    scheduler: banExpiry,
    now,
    log,
  });
  const moderatorDesk = new ModeratorDesk({
    directory,
    store: modStore,
    insights: new PrismaModerationInsights(prisma),
    service: moderationService,
    users,
    moderation,
    now,
    log,
  });

  const commands = new Commands(core, { reportIntake: moderationService, moderatorTools: moderatorDesk });
  const buttons = new Buttons(core, commands);
  const relay = new Relay({
    sessions,
    control: sessions,
    messages,
    sessionRows: sessionsRepo,
    delivery,
    flood: new FloodControl(redis, settings.redisPrefix, settings.floodMax, settings.floodWindowS),
    activity: idle,
    log,
  });
  const router = new InboundRouter(core, {
    commands,
    buttons,
    relay,
    outbox: delivery,
    ledger: new RedisUpdateLedger(redis, settings.redisPrefix),
  });

  // Presence (src/core/presence.ts): transports that hold live connections (web) report drops,
  // returns and typing; the partner is told, and the transport learns the person's chat state.
  const presence = new PresenceService({ users, sessionControl: sessions, outbox: delivery, transports: byPlatform, log });

  const retention = new RetentionPurge({
    connection: bullConnection,
    prefix: settings.redisPrefix,
    retentionDays: settings.retentionDays,
    messages,
    reports,
    log,
  });
  idle.startWorker(sessions);
  await retention.start();
  banExpiry.start(moderationService);
  const restored = await moderationService.restore();
  if (restored.bans > 0 || restored.suspended > 0) log.info(restored, 'moderation restored into the matcher');
  const sink: PairSink = sessions;
  await matcher.start(sink);

  const port = await http.listen(settings.httpPort, settings.httpHost);
  for (const t of transports) {
    t.onInbound(router.handle);
    if (isPresenceSource(t)) t.onPresence(presence.handle);
    await t.start();
    log.info({ platform: t.platform }, 'transport started');
  }
  if (transports.length === 0) log.warn('no transport is running: nobody can reach this service');
  // Messages a previous process accepted but had not delivered when it stopped.
  const startedAt = Date.now();
  await relay.resumeUndelivered(
    new Date(startedAt - RESUME_LOOKBACK_MS),
    new Date(startedAt - (settings.resumeGraceMs ?? DEFAULT_RESUME_GRACE_MS)),
  );

  let stopped = false;
  return {
    prisma,
    redis,
    http,
    router,
    delivery,
    sessions,
    matching,
    matcher,
    idle,
    retention,
    moderation: moderationService,
    banExpiry,
    core,
    port,
    async settle() {
      for (let i = 0; i < 50; i++) {
        await router.idle();
        await delivery.idle();
        if (delivery.pending === 0) return;
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      const step = async (name: string, fn: () => Promise<unknown>) => {
        try {
          await fn();
        } catch (err) {
          log.warn({ err, step: name }, 'shutdown step failed');
        }
      };
      await step('http', () => http.close());
      for (const t of transports) await step(`transport ${t.platform}`, () => t.stop());
      await step('matcher', () => matcher.stop());
      await step('router', () => router.idle());
      await step('delivery', () => Promise.race([delivery.idle(), new Promise((r) => setTimeout(r, 2000))]));
      await step('idle timeouts', () => idle.close());
      await step('retention', () => retention.close());
      await step('ban expiry', () => banExpiry.close());
      await step('redis', () => redis.quit());
      await step('postgres', () => prisma.$disconnect());
    },
  };
}
