import { z } from 'zod';
import type { Platform } from './core/types.js';

/*
 * The one place that reads the environment. Every variable from docs/architecture.md is
 * here, even those a later feature uses, so a typo fails at start and not at 3 a.m.
 */

const intIn = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `a whole number between ${min} and ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `a whole number between ${min} and ${max}`).max(max, `a whole number between ${min} and ${max}`));

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const urlWith = (protocols: readonly string[], what: string) =>
  z
    .string()
    .trim()
    .refine((v) => {
      try {
        const u = new URL(v);
        return protocols.includes(u.protocol) && u.host !== '';
      } catch {
        return false;
      }
    }, what);

const moderatorList = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const out: { platform: Platform; externalId: string }[] = [];
    for (const part of v.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
      const m = /^(telegram|discord|web):([A-Za-z0-9_-]+)$/.exec(part);
      if (!m?.[1] || !m[2]) {
        ctx.addIssue({ code: 'custom', message: `entries like telegram:<id>,discord:<id>` });
        return z.NEVER;
      }
      out.push({ platform: m[1] as Platform, externalId: m[2] });
    }
    return out;
  });

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

const envSchema = z.object({
  DATABASE_URL: urlWith(['postgresql:', 'postgres:'], 'a postgresql:// URL').default(
    'postgresql://postgres@127.0.0.1:5432/echosoul',
  ),
  REDIS_URL: urlWith(['redis:', 'rediss:'], 'a redis:// URL').default('redis://127.0.0.1:6379'),
  REDIS_PREFIX: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9:_-]{1,64}$/, 'letters, digits, ":", "_" or "-" (at most 64)')
    .default('echosoul'),
  TELEGRAM_BOT_TOKEN: optionalText.pipe(
    z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, 'a token from BotFather like 123456:ABC-DEF').optional(),
  ),
  TELEGRAM_API_ROOT: urlWith(['http:', 'https:'], 'an http(s) URL').default('https://api.telegram.org'),
  TELEGRAM_WEBHOOK_URL: optionalText.pipe(urlWith(['https:', 'http:'], 'an https URL').optional()),
  DISCORD_TOKEN: optionalText,
  DISCORD_APPLICATION_ID: optionalText.pipe(z.string().regex(/^\d{5,25}$/, 'a numeric application id').optional()),
  DISCORD_API_ROOT: optionalText.pipe(urlWith(['http:', 'https:'], 'an http(s) URL without /v10').optional()),
  MODERATORS: moderatorList.default([]),
  HTTP_PORT: intIn(0, 65535).default(3000),
  LOG_LEVEL: logLevel.default('info'),
  MATCH_WINDOW_MS: intIn(20, 1000).default(100),
  SEARCH_TIMEOUT_S: intIn(10, 86_400).default(600),
  IDLE_TIMEOUT_S: intIn(30, 604_800).default(900),
  FLOOD_MAX: intIn(1, 1000).default(8),
  FLOOD_WINDOW_S: intIn(1, 3600).default(5),
  RETENTION_DAYS: intIn(1, 3650).default(7),
  DISCORD_MOD_GUILD_ID: optionalText.pipe(z.string().regex(/^\d{5,25}$/, 'a numeric server id').optional()),
  DISCORD_MOD_ROLE_ID: optionalText.pipe(z.string().regex(/^\d{5,25}$/, 'a numeric role id').optional()),
  WEB_SECRET: optionalText.pipe(z.string().min(32, 'at least 32 characters').optional()),
  WEB_GRACE_S: intIn(0, 3600).default(30),
});

type Env = z.output<typeof envSchema>;

export interface Config {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly redisPrefix: string;
  readonly telegram?: {
    readonly token: string;
    readonly apiRoot: string;
    readonly webhookUrl?: string;
  };
  readonly discord?: {
    readonly token: string;
    readonly applicationId: string;
    readonly apiRoot?: string;
    readonly modGuildId?: string;
    readonly modRoleId?: string;
  };
  readonly moderators: readonly { readonly platform: Platform; readonly externalId: string }[];
  readonly httpPort: number;
  readonly logLevel: z.output<typeof logLevel>;
  readonly matchWindowMs: number;
  readonly searchTimeoutS: number;
  readonly idleTimeoutS: number;
  readonly floodMax: number;
  readonly floodWindowS: number;
  readonly retentionDays: number;
  readonly webSecret?: string;
  readonly webGraceS: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const present = <T>(v: T | undefined): v is T => v !== undefined;

function toConfig(e: Env): Config {
  if (present(e.DISCORD_TOKEN) !== present(e.DISCORD_APPLICATION_ID)) {
    throw new ConfigError(
      'DISCORD_TOKEN and DISCORD_APPLICATION_ID: set both to enable Discord, or neither to leave it off',
    );
  }
  if (present(e.DISCORD_MOD_GUILD_ID) !== present(e.DISCORD_MOD_ROLE_ID)) {
    throw new ConfigError('DISCORD_MOD_GUILD_ID and DISCORD_MOD_ROLE_ID: set both or neither');
  }
  return {
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    ...(e.TELEGRAM_BOT_TOKEN
      ? {
          telegram: {
            token: e.TELEGRAM_BOT_TOKEN,
            apiRoot: e.TELEGRAM_API_ROOT.replace(/\/+$/, ''),
            ...(e.TELEGRAM_WEBHOOK_URL ? { webhookUrl: e.TELEGRAM_WEBHOOK_URL } : {}),
          },
        }
      : {}),
    ...(e.DISCORD_TOKEN && e.DISCORD_APPLICATION_ID
      ? {
          discord: {
            token: e.DISCORD_TOKEN,
            applicationId: e.DISCORD_APPLICATION_ID,
            ...(e.DISCORD_API_ROOT ? { apiRoot: e.DISCORD_API_ROOT.replace(/\/+$/, '') } : {}),
            ...(e.DISCORD_MOD_GUILD_ID ? { modGuildId: e.DISCORD_MOD_GUILD_ID } : {}),
            ...(e.DISCORD_MOD_ROLE_ID ? { modRoleId: e.DISCORD_MOD_ROLE_ID } : {}),
          },
        }
      : {}),
    moderators: e.MODERATORS,
    httpPort: e.HTTP_PORT,
    logLevel: e.LOG_LEVEL,
    matchWindowMs: e.MATCH_WINDOW_MS,
    searchTimeoutS: e.SEARCH_TIMEOUT_S,
    idleTimeoutS: e.IDLE_TIMEOUT_S,
    floodMax: e.FLOOD_MAX,
    floodWindowS: e.FLOOD_WINDOW_S,
    retentionDays: e.RETENTION_DAYS,
    ...(e.WEB_SECRET ? { webSecret: e.WEB_SECRET } : {}),
    webGraceS: e.WEB_GRACE_S,
  };
}

/** Parses the environment; throws ConfigError with one line naming the first bad variable. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  // Treat empty strings like unset so `FOO= npm start` means "default".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    const got = cleaned[name];
    const shown = got === undefined || /TOKEN|SECRET|URL/.test(name) ? '' : ` (got "${got}")`;
    throw new ConfigError(`${name}: expected ${issue?.message ?? 'a valid value'}${shown}`);
  }
  return toConfig(parsed.data);
}
