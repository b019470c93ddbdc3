import { Routes, type REST, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { Log } from '../../core/index.js';

interface NormalizedChoice {
  readonly name: string;
  readonly value: string | number;
}

interface NormalizedOption {
  readonly type: number;
  readonly name: string;
  readonly description: string;
  readonly required: boolean;
  readonly autocomplete: boolean;
  readonly name_localizations: Record<string, string> | null;
  readonly description_localizations: Record<string, string> | null;
  readonly min_length?: number;
  readonly max_length?: number;
  readonly min_value?: number;
  readonly max_value?: number;
  readonly channel_types?: number[];
  readonly choices?: NormalizedChoice[];
  readonly options?: NormalizedOption[];
}

export interface NormalizedCommand {
  readonly type: number;
  readonly name: string;
  readonly description: string;
  readonly options: NormalizedOption[];
  readonly contexts: number[] | null;
  readonly integration_types: number[] | null;
  readonly default_member_permissions: string | null;
  readonly nsfw: boolean;
  readonly name_localizations: Record<string, string> | null;
  readonly description_localizations: Record<string, string> | null;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const num = (value: unknown, fallback: number): number => (typeof value === 'number' ? value : fallback);
const optionalNumber = <K extends string>(key: K, value: unknown): { [P in K]?: number } =>
  (typeof value === 'number' ? { [key]: value } : {}) as { [P in K]?: number };

function sortedNumbers(value: unknown): number[] | null {
  if (!Array.isArray(value)) return null;
  return value.filter((v): v is number => typeof v === 'number').sort((a, b) => a - b);
}

function localizations(value: unknown): Record<string, string> | null {
  if (!isRecord(value)) return null;
  const entries = Object.entries(value)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? null : Object.fromEntries(entries);
}

function normalizeOption(raw: unknown): NormalizedOption {
  const o = isRecord(raw) ? raw : {};
  const channelTypes = sortedNumbers(o.channel_types);
  return {
    type: num(o.type, 0),
    name: str(o.name),
    description: str(o.description),
    required: o.required === true,
    autocomplete: o.autocomplete === true,
    name_localizations: localizations(o.name_localizations),
    description_localizations: localizations(o.description_localizations),
    ...optionalNumber('min_length', o.min_length),
    ...optionalNumber('max_length', o.max_length),
    ...optionalNumber('min_value', o.min_value),
    ...optionalNumber('max_value', o.max_value),
    ...(channelTypes && { channel_types: channelTypes }),
    ...(Array.isArray(o.choices) && {
      choices: o.choices.filter(isRecord).map((c) => ({ name: str(c.name), value: typeof c.value === 'number' ? c.value : str(c.value) })),
    }),
    ...(Array.isArray(o.options) && o.options.length > 0 && { options: o.options.map(normalizeOption) }),
  };
}

/**
 * Reduces a command (our definition or Discord's answer) to the fields that change how it
 * behaves, with Discord's defaults filled in, so that ids, versions and fields Discord adds
 * on its side do not count as a difference.
 */
export function normalizeCommand(raw: unknown): NormalizedCommand {
  const c = isRecord(raw) ? raw : {};
  return {
    type: num(c.type, 1),
    name: str(c.name),
    description: str(c.description),
    options: Array.isArray(c.options) ? c.options.map(normalizeOption) : [],
    contexts: sortedNumbers(c.contexts),
    integration_types: sortedNumbers(c.integration_types),
    default_member_permissions: typeof c.default_member_permissions === 'string' ? c.default_member_permissions : null,
    nsfw: c.nsfw === true,
    name_localizations: localizations(c.name_localizations),
    description_localizations: localizations(c.description_localizations),
  };
}

export function normalizeCommands(list: readonly unknown[]): NormalizedCommand[] {
  return list.map(normalizeCommand).sort((a, b) => a.type - b.type || a.name.localeCompare(b.name));
}

export function sameCommands(current: readonly unknown[], wanted: readonly unknown[]): boolean {
  return JSON.stringify(normalizeCommands(current)) === JSON.stringify(normalizeCommands(wanted));
}

export interface CommandSyncResult {
  readonly registered: boolean;
  readonly count: number;
}

/**
 * Bulk-overwrites the global commands only when they differ from what Discord has: every
 * PUT counts against a daily command-create limit and makes clients refetch commands.
 */
export async function syncCommands(
  rest: Pick<REST, 'get' | 'put'>,
  applicationId: string,
  wanted: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[],
  log: Log,
  options: { readonly force?: boolean } = {},
): Promise<CommandSyncResult> {
  const route = Routes.applicationCommands(applicationId);
  if (!options.force) {
    const current = await rest.get(route);
    if (Array.isArray(current) && sameCommands(current, wanted)) {
      log.info({ count: wanted.length }, 'discord commands already up to date');
      return { registered: false, count: wanted.length };
    }
  }
  await rest.put(route, { body: wanted });
  log.info({ count: wanted.length }, 'discord commands registered');
  return { registered: true, count: wanted.length };
}
