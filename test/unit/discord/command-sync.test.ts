import { describe, expect, test, vi } from 'vitest';
import type { REST } from 'discord.js';
import { commandDefinitions } from '../../../src/bots/discord/commands.js';
import { normalizeCommand, sameCommands, syncCommands } from '../../../src/bots/discord/command-sync.js';
import type { Log } from '../../../src/core/index.js';

const silent: Log = { trace: () => {}, debug: () => {}, info: () => {}, warn: () => {}, error: () => {}, child: () => silent };

/** What Discord answers for our definitions: ids, versions, defaults, options in its own order of keys. */
function asDiscordReturnsThem(): unknown[] {
  return commandDefinitions()
    .reverse()
    .map((c, index) => ({
      id: `12000000000000000${index}`,
      application_id: '1100000000000000001',
      version: '1200000000000000999',
      default_member_permissions: null,
      dm_permission: true,
      nsfw: false,
      ...c,
      // Discord leaves out `required` when it is false, also in a subcommand's options.
      options: c.options?.map((o) => ({
        ...o,
        required: undefined,
        ...('options' in o && o.options && { options: o.options.map((inner) => ({ ...inner, required: inner.required === true ? true : undefined })) }),
      })),
      integration_types: [...(c.integration_types ?? [])].reverse(),
    }));
}

describe('command comparison', () => {
  test('Discord-side ids, versions, defaults and ordering are not differences', () => {
    expect(sameCommands(asDiscordReturnsThem(), commandDefinitions())).toBe(true);
  });

  test('a changed description, option or context is a difference', () => {
    const changed = asDiscordReturnsThem() as Record<string, unknown>[];
    const first = changed[0];
    if (first) first.description = 'Something else';
    expect(sameCommands(changed, commandDefinitions())).toBe(false);

    const noContexts = (asDiscordReturnsThem() as Record<string, unknown>[]).map((c) => ({ ...c, contexts: null }));
    expect(sameCommands(noContexts, commandDefinitions())).toBe(false);
    expect(sameCommands(asDiscordReturnsThem().slice(1), commandDefinitions())).toBe(false);
  });

  test('a change inside /mod is a difference: its permission default, a subcommand, an option', () => {
    const withMod = (change: (mod: Record<string, unknown>) => Record<string, unknown>) =>
      (asDiscordReturnsThem() as Record<string, unknown>[]).map((c) => (c.name === 'mod' ? change(c) : c));
    expect(sameCommands(withMod((m) => m), commandDefinitions())).toBe(true);
    expect(sameCommands(withMod((m) => ({ ...m, default_member_permissions: null })), commandDefinitions())).toBe(false);

    type Sub = { name: string; options?: Record<string, unknown>[] | undefined };
    const subs = (m: Record<string, unknown>) => m.options as Sub[];
    expect(sameCommands(withMod((m) => ({ ...m, options: subs(m).filter((s) => s.name !== 'stats') })), commandDefinitions())).toBe(false);
    const pageAsString = (s: Sub): Sub =>
      s.name === 'reports' ? { ...s, options: s.options?.map((o) => (o.name === 'page' ? { ...o, type: 3 } : o)) } : s;
    expect(sameCommands(withMod((m) => ({ ...m, options: subs(m).map(pageAsString) })), commandDefinitions())).toBe(false);
  });

  test('empty localizations equal missing ones', () => {
    expect(normalizeCommand({ name: 'a', description: 'b', name_localizations: {} })).toEqual(
      normalizeCommand({ name: 'a', description: 'b', name_localizations: null }),
    );
  });
});

describe('syncCommands', () => {
  const restWith = (current: unknown[]) => {
    const get = vi.fn(() => Promise.resolve<unknown>(current));
    const put = vi.fn(() => Promise.resolve<unknown>([]));
    return { rest: { get, put } as unknown as Pick<REST, 'get' | 'put'>, get, put };
  };

  test('does not PUT when Discord already has the same commands', async () => {
    const { rest, put } = restWith(asDiscordReturnsThem());
    await expect(syncCommands(rest, '1100000000000000001', commandDefinitions(), silent)).resolves.toEqual({ registered: false, count: 11 });
    expect(put).not.toHaveBeenCalled();
  });

  test('PUTs the whole set when anything differs, and always with force', async () => {
    const { rest, put } = restWith([]);
    await syncCommands(rest, '1100000000000000001', commandDefinitions(), silent);
    expect(put).toHaveBeenCalledWith('/applications/1100000000000000001/commands', { body: commandDefinitions() });

    const same = restWith(asDiscordReturnsThem());
    await syncCommands(same.rest, '1100000000000000001', commandDefinitions(), silent, { force: true });
    expect(same.get).not.toHaveBeenCalled();
    expect(same.put).toHaveBeenCalledTimes(1);
  });
});
