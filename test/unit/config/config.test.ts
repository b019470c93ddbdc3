import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.js';

const fails = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      databaseUrl: 'postgresql://postgres@127.0.0.1:5432/echosoul',
      redisUrl: 'redis://127.0.0.1:6379',
      redisPrefix: 'echosoul',
      httpPort: 3000,
      logLevel: 'info',
      matchWindowMs: 100,
      searchTimeoutS: 600,
      idleTimeoutS: 900,
      floodMax: 8,
      floodWindowS: 5,
      retentionDays: 7,
      webGraceS: 30,
      moderators: [],
    });
    expect(c.telegram).toBeUndefined();
    expect(c.discord).toBeUndefined();
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ HTTP_PORT: '', TELEGRAM_BOT_TOKEN: ' ' }).httpPort).toBe(3000);
  });

  it.each([
    ['HTTP_PORT', 'abc'],
    ['HTTP_PORT', '70000'],
    ['DATABASE_URL', 'nonsense'],
    ['REDIS_URL', 'http://x'],
    ['MATCH_WINDOW_MS', '5'],
    ['MATCH_WINDOW_MS', '1001'],
    ['LOG_LEVEL', 'loud'],
    ['MODERATORS', 'telegram:1,bob'],
    ['TELEGRAM_BOT_TOKEN', 'not-a-token'],
    ['WEB_SECRET', 'short'],
  ])('names %s in one line when it is %s', (name, value) => {
    const message = fails({ [name]: value });
    expect(message.startsWith(`${name}: expected`)).toBe(true);
    expect(message).not.toContain('\n');
  });

  it('never echoes secrets or URLs back', () => {
    expect(fails({ TELEGRAM_BOT_TOKEN: 'not-a-token' })).not.toContain('not-a-token');
    expect(fails({ WEB_SECRET: 'short' })).not.toContain('short"');
  });

  it('enables platforms from their tokens and parses moderators', () => {
    const c = loadConfig({
      TELEGRAM_BOT_TOKEN: '123456:ABC-def_1',
      TELEGRAM_API_ROOT: 'http://127.0.0.1:8081/',
      DISCORD_TOKEN: 'abc.def.ghi',
      DISCORD_APPLICATION_ID: '123456789012345678',
      MODERATORS: 'telegram:42, discord:123456789012345678',
    });
    expect(c.telegram).toEqual({ token: '123456:ABC-def_1', apiRoot: 'http://127.0.0.1:8081' });
    expect(c.discord).toMatchObject({ token: 'abc.def.ghi', applicationId: '123456789012345678' });
    expect(c.moderators).toEqual([
      { platform: 'telegram', externalId: '42' },
      { platform: 'discord', externalId: '123456789012345678' },
    ]);
  });

  it('needs both Discord variables', () => {
    expect(fails({ DISCORD_TOKEN: 'abc' })).toMatch(/^DISCORD_TOKEN and DISCORD_APPLICATION_ID/);
  });
});
