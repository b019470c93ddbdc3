/**
 * `npm run discord:register [-- --force]`: registers EchoSoul's global slash commands without
 * starting the bot, e.g. from a deploy step. Skips the PUT when Discord already has them.
 */
import { REST } from 'discord.js';
import { pino } from 'pino';
import { z } from 'zod';
import { commandDefinitions } from './commands.js';
import { syncCommands } from './command-sync.js';

// The same rules as src/config.ts, which this standalone entry point may not import.
const Env = z.object({
  DISCORD_TOKEN: z.string().trim().min(1, 'is required'),
  DISCORD_APPLICATION_ID: z.string().regex(/^\d{5,25}$/, 'must be a numeric application id'),
  DISCORD_API_ROOT: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .refine((url) => !/\/v\d+\/?$/.test(url), 'must not include the API version (discord.js adds /v10)')
    .optional(),
});

async function main(): Promise<number> {
  // This entry point runs on its own, outside main.ts and the shared config, so it reads its three variables itself.
  // eslint-disable-next-line no-restricted-properties
  const parsed = Env.safeParse(process.env);
  const log = pino({ name: 'discord:register' });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    log.error(`${String(issue?.path[0] ?? 'environment')} ${issue?.message ?? 'is invalid'}`);
    return 1;
  }
  const env = parsed.data;
  const rest = new REST({ version: '10', ...(env.DISCORD_API_ROOT !== undefined && { api: env.DISCORD_API_ROOT }) }).setToken(
    env.DISCORD_TOKEN,
  );
  try {
    const result = await syncCommands(rest, env.DISCORD_APPLICATION_ID, commandDefinitions(), log, {
      force: process.argv.includes('--force'),
    });
    log.info({ registered: result.registered, count: result.count }, 'done');
    return 0;
  } catch (error) {
    log.error({ err: error instanceof Error ? error.message : 'unknown' }, 'command registration failed');
    return 1;
  }
}

process.exitCode = await main();
