import { ApplicationCommandOptionType } from 'discord.js';
import { MODERATOR_COMMAND, MODERATOR_COMMANDS, type ModeratorCommandSpec } from '../../core/index.js';
import { COMMAND_SPECS, type CommandSpec } from './commands.js';

export interface CommandOptionValue {
  readonly name: string;
  /** ApplicationCommandOptionType; a subcommand (1) carries its own options. */
  readonly type?: number;
  readonly value?: string | number | boolean | null;
  readonly options?: readonly CommandOptionValue[] | null;
}

/**
 * Flattens slash-command options into the text arguments the core parses:
 * `/find interests:"music games" language:"en"` -> `music games lang:en`.
 * Positional values come first, keyed ones after, each in definition order.
 * `/mod` is flattened by moderatorArgs.
 */
export function commandArgs(
  commandName: string,
  options: readonly CommandOptionValue[],
  specs: readonly CommandSpec[] = COMMAND_SPECS,
  moderatorSpecs: readonly ModeratorCommandSpec[] = MODERATOR_COMMANDS,
): string {
  if (commandName.toLowerCase() === MODERATOR_COMMAND.name) return moderatorArgs(options, moderatorSpecs);
  const spec = specs.find((s) => s.name === commandName);
  const byName = valuesByName(options);

  const positional: string[] = [];
  const keyed: string[] = [];
  for (const optionSpec of spec?.options ?? []) {
    const value = byName.get(optionSpec.name);
    byName.delete(optionSpec.name);
    if (value === undefined) continue;
    if (optionSpec.form.kind === 'positional') positional.push(value);
    // A keyed value is one token in the text form, so inner whitespace would split it.
    else keyed.push(`${optionSpec.form.key}:${oneWord(value)}`);
  }
  // Options the registered definitions no longer know (an older client) still reach the core.
  for (const [name, value] of byName) keyed.push(`${name}:${oneWord(value)}`);

  return [...positional, ...keyed].join(' ');
}

/**
 * `/mod <sub> <options>` -> the text the core's moderator desk parses after `/mod`: the
 * subcommand, then the given values in MODERATOR_COMMANDS order (`/mod reports filter:open
 * page:2` -> `reports open 2`, `/mod ban handle:u_4f9c2a duration:24h reason:spam links` ->
 * `ban u_4f9c2a 24h spam links`). The core reads those words by position, and only the last
 * argument is free text (a reason, a warning), so every earlier value is kept one word: a stray
 * space cannot shift the ones after it. Options the definition does not know are dropped, since
 * a word in the wrong position would change what the core reads; for a subcommand the
 * definitions no longer know, the values go in the order given and the core answers that
 * there is no such subcommand.
 */
export function moderatorArgs(
  options: readonly CommandOptionValue[],
  specs: readonly ModeratorCommandSpec[] = MODERATOR_COMMANDS,
): string {
  const sub = options.find((o) => o.type === ApplicationCommandOptionType.Subcommand);
  if (sub === undefined) return '';
  const byName = valuesByName(sub.options ?? []);
  const spec = specs.find((s) => s.name === sub.name);
  const words = spec
    ? spec.args.flatMap((arg, index) => {
        const value = byName.get(arg.name);
        if (value === undefined) return [];
        return [index === spec.args.length - 1 ? value : oneWord(value)];
      })
    : [...byName.values()].map(oneWord);
  return [sub.name, ...words].join(' ');
}

/** Non-blank option values, trimmed, by option name. */
function valuesByName(options: readonly CommandOptionValue[]): Map<string, string> {
  const byName = new Map<string, string>();
  for (const option of options) {
    if (option.value === undefined || option.value === null) continue;
    const text = String(option.value).trim();
    if (text !== '') byName.set(option.name, text);
  }
  return byName;
}

const oneWord = (value: string): string => value.replace(/\s+/g, '-');
