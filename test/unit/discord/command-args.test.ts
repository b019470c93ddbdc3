import { describe, expect, test } from 'vitest';
import { commandArgs, moderatorArgs, type CommandOptionValue } from '../../../src/bots/discord/command-args.js';
import { COMMAND_SPECS, commandDefinitions, moderatorCommandDefinition, TEXT_COMMAND_NAMES } from '../../../src/bots/discord/commands.js';
import { MODERATOR_COMMAND, MODERATOR_COMMANDS, words } from '../../../src/core/index.js';

/** `interaction.options.data` of `/mod <sub> <options>`: the subcommand (type 1) carrying the values. */
const sub = (name: string, values: Readonly<Record<string, string | number>> = {}): CommandOptionValue[] => [
  { name, type: 1, options: Object.entries(values).map(([n, value]) => ({ name: n, type: typeof value === 'number' ? 4 : 3, value })) },
];

describe('commandArgs', () => {
  test('positional values first, keyed values as key:value', () => {
    expect(commandArgs('find', [{ name: 'language', value: 'en' }, { name: 'interests', value: 'music games' }])).toBe('music games lang:en');
  });

  test('no options, or blank ones, give empty args', () => {
    expect(commandArgs('find', [])).toBe('');
    expect(commandArgs('settings', [{ name: 'interests', value: '   ' }])).toBe('');
  });

  test('a keyed value stays one token', () => {
    expect(commandArgs('settings', [{ name: 'language', value: ' pt br ' }])).toBe('lang:pt-br');
  });

  test('free text options pass through as written', () => {
    expect(commandArgs('report', [{ name: 'reason', value: 'spam, links: http://x' }])).toBe('spam, links: http://x');
    expect(commandArgs('history', [{ name: 'session', value: 'session_0a1b2c3d4e' }])).toBe('session_0a1b2c3d4e');
  });

  test('options unknown to the definitions still reach the core', () => {
    expect(commandArgs('help', [{ name: 'topic', value: 'safety' }])).toBe('topic:safety');
  });
});

describe('moderatorArgs (/mod)', () => {
  test('the subcommand, then its values in MODERATOR_COMMANDS order, whatever order Discord sends them in', () => {
    expect(commandArgs('mod', sub('reports', { page: 2, filter: 'open' }))).toBe('reports open 2');
    expect(commandArgs('mod', sub('reports', { page: 2 }))).toBe('reports 2');
    expect(commandArgs('mod', sub('feedback', { order: 'low' }))).toBe('feedback low');
    expect(commandArgs('mod', sub('report', { id: '#1a2b3c4d' }))).toBe('report #1a2b3c4d');
    expect(commandArgs('mod', sub('stats'))).toBe('stats');
    expect(commandArgs('mod', [{ name: 'help', type: 1 }])).toBe('help');
  });

  test('the last argument is free text; earlier ones stay one word, so nothing shifts', () => {
    expect(commandArgs('mod', sub('ban', { reason: ' spam   links, again ', duration: '24h', handle: 'u_4f9c2a' }))).toBe(
      'ban u_4f9c2a 24h spam   links, again',
    );
    expect(commandArgs('mod', sub('warn', { handle: '@u_4f9c2a', text: 'Be kind.' }))).toBe('warn @u_4f9c2a Be kind.');
    expect(commandArgs('mod', sub('ban', { handle: 'u_4f9c2a 7d', duration: '24h', reason: 'x' }))).toBe('ban u_4f9c2a-7d 24h x');
    expect(commandArgs('mod', sub('unban', { handle: 'u_4f9c2a', reason: '   ' }))).toBe('unban u_4f9c2a');
  });

  test('unknown options are dropped; an unknown subcommand still reaches the core, which names it', () => {
    expect(commandArgs('mod', sub('user', { handle: 'u_4f9c2a', verbose: 'yes' }))).toBe('user u_4f9c2a');
    expect(commandArgs('mod', sub('dance', { style: 'tango now' }))).toBe('dance tango-now');
    expect(moderatorArgs([])).toBe('');
  });

  test('for every moderator command, the core reads back exactly the values that were given', () => {
    for (const spec of MODERATOR_COMMANDS) {
      const values = Object.fromEntries(
        spec.args.map((arg, i) => [arg.name, arg.choices?.[1] ?? (arg.name === 'page' ? 3 : i === spec.args.length - 1 ? `free text ${i}` : `w${i}`)]),
      );
      const text = commandArgs('mod', sub(spec.name, values));
      // As the desk reads it: the subcommand, then the words before the last argument, then the rest.
      const { head: [name], rest } = words(text, 1);
      expect(name).toBe(spec.name);
      const { head, rest: last } = words(rest, Math.max(0, spec.args.length - 1));
      const read = spec.args.length === 0 ? [] : [...head, last];
      expect(read).toEqual(spec.args.map((arg) => String(values[arg.name])));
      if (spec.args.length === 0) expect(rest).toBe('');
    }
  });
});

describe('command definitions', () => {
  test('every command is usable in the bot DM, servers and other DMs, for server and user installs', () => {
    const definitions = commandDefinitions();
    expect(definitions.map((d) => d.name)).toEqual([...COMMAND_SPECS.map((s) => s.name), 'mod']);
    for (const definition of definitions) {
      expect(definition.contexts).toEqual([0, 1, 2]);
      expect(definition.integration_types).toEqual([0, 1]);
      expect(definition.description.length).toBeLessThanOrEqual(100);
    }
  });

  test('/mod is hidden by default_member_permissions "0" and has one subcommand per moderator command', () => {
    const definitions = commandDefinitions();
    for (const d of definitions) expect(d.default_member_permissions).toBe(d.name === 'mod' ? '0' : undefined);
    const mod = definitions.find((d) => d.name === 'mod');
    expect(mod).toEqual(moderatorCommandDefinition());
    expect(mod).toMatchObject({ type: 1, name: MODERATOR_COMMAND.name, description: MODERATOR_COMMAND.description });
    expect(mod?.options?.map((o) => [o.type, o.name, o.description])).toEqual(MODERATOR_COMMANDS.map((s) => [1, s.name, s.description]));
    const options = (name: string) => {
      const option = mod?.options?.find((o) => o.name === name);
      return option && 'options' in option ? option.options : undefined;
    };
    expect(options('reports')).toEqual([
      { type: 3, name: 'filter', description: 'open (default) or all', required: false, choices: [{ name: 'open', value: 'open' }, { name: 'all', value: 'all' }] },
      { type: 4, name: 'page', description: 'Page number', required: false, min_value: 1, max_value: 9999 },
    ]);
    expect(options('ban')?.map((o) => [o.name, o.type, o.required])).toEqual([
      ['handle', 3, true],
      ['duration', 3, true],
      ['reason', 3, true],
    ]);
    expect(options('stats')).toBeUndefined();
  });

  test('Discord gets required options first; the text form keeps the specification order', () => {
    const spec = [{ name: 'x', description: 'X', args: [
      { name: 'first', description: 'optional', required: false },
      { name: 'second', description: 'required', required: true },
    ] }];
    const [x] = moderatorCommandDefinition(spec).options ?? [];
    expect(x && 'options' in x ? x.options?.map((o) => o.name) : undefined).toEqual(['second', 'first']);
    expect(moderatorArgs(sub('x', { second: 'b', first: 'a' }), spec)).toBe('x a b');
  });

  test('text commands include the slash commands and /mod', () => {
    expect(TEXT_COMMAND_NAMES.has('find')).toBe(true);
    expect(TEXT_COMMAND_NAMES.has('mod')).toBe(true);
    expect(TEXT_COMMAND_NAMES.has('shrug')).toBe(false);
  });
});
