import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import {
  MODERATOR_COMMAND,
  MODERATOR_COMMANDS,
  USER_COMMANDS,
  type ModeratorCommandArg,
  type ModeratorCommandSpec,
} from '../../core/index.js';

/**
 * How an option's value is written into the command's text arguments. The core parses one
 * text form for every platform (a Telegram user types `/find music games lang:en`), so a
 * slash command's structured options are flattened back into that form.
 */
export type ArgForm = { readonly kind: 'positional' } | { readonly kind: 'keyed'; readonly key: string };

export interface CommandOptionSpec {
  readonly name: string;
  readonly description: string;
  readonly minLength?: number;
  readonly maxLength: number;
  readonly form: ArgForm;
}

export interface CommandSpec {
  readonly name: string;
  readonly description: string;
  readonly options: readonly CommandOptionSpec[];
}

const interests: CommandOptionSpec = {
  name: 'interests',
  description: 'Topics you like, separated by spaces (e.g. music games)',
  maxLength: 200,
  form: { kind: 'positional' },
};

const language: CommandOptionSpec = {
  name: 'language',
  description: 'A 2- or 3-letter language code, like en or de',
  minLength: 2,
  maxLength: 3,
  form: { kind: 'keyed', key: 'lang' },
};

/** The structured options Discord shows for a command; the core itself only knows text arguments. */
const OPTIONS: Readonly<Record<string, readonly CommandOptionSpec[]>> = {
  find: [interests, language],
  settings: [interests, language],
  report: [{ name: 'reason', description: 'What happened', maxLength: 500, form: { kind: 'positional' } }],
  history: [{ name: 'session', description: 'A session id (session_...) to see its details', maxLength: 40, form: { kind: 'positional' } }],
};

/** The core's user commands (names, descriptions) with their Discord options. */
export const COMMAND_SPECS: readonly CommandSpec[] = USER_COMMANDS.map((command) => ({
  name: command.name,
  description: command.description,
  options: OPTIONS[command.name] ?? [],
}));

/**
 * Commands a user may also type as plain DM text (`/next` on a phone keyboard, or
 * `/mod reports open 2`, the form the /mod slash command is flattened into).
 */
export const TEXT_COMMAND_NAMES: ReadonlySet<string> = new Set([...COMMAND_SPECS.map((c) => c.name), 'mod', 'start']);

/**
 * The global command set. Usable in the bot's DM, in servers and in other DMs, for both
 * server and user installs, so someone who installed the app to their account can start
 * from anywhere; the conversation itself always moves to the bot DM.
 */
export function commandDefinitions(
  specs: readonly CommandSpec[] = COMMAND_SPECS,
  moderatorSpecs: readonly ModeratorCommandSpec[] = MODERATOR_COMMANDS,
): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return [...userCommandDefinitions(specs), moderatorCommandDefinition(moderatorSpecs)];
}

const CONTEXTS = [InteractionContextType.Guild, InteractionContextType.BotDM, InteractionContextType.PrivateChannel];
const INTEGRATION_TYPES = [ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall];

function userCommandDefinitions(specs: readonly CommandSpec[]): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return specs.map((spec) => ({
    type: ApplicationCommandType.ChatInput,
    name: spec.name,
    description: spec.description,
    options: spec.options.map((option) => ({
      type: ApplicationCommandOptionType.String,
      name: option.name,
      description: option.description,
      required: false,
      ...(option.minLength !== undefined && { min_length: option.minLength }),
      max_length: option.maxLength,
    })),
    contexts: [...CONTEXTS],
    integration_types: [...INTEGRATION_TYPES],
  }));
}

/** Moderator arguments that are whole numbers, shown by Discord as integer options (the core's parsePage range). */
const INTEGER_ARGS: Readonly<Record<string, { readonly min: number; readonly max: number }>> = {
  page: { min: 1, max: 9999 },
};

/**
 * `/mod`, with one subcommand per moderator command (MODERATOR_COMMANDS). default_member_permissions
 * "0" hides it in servers from everyone but administrators (a server can grant it further in its
 * integration settings); in the bot DM it is listed. Being listed grants nothing: the core checks
 * the caller on every call and answers anyone else as if /mod did not exist.
 */
export function moderatorCommandDefinition(
  specs: readonly ModeratorCommandSpec[] = MODERATOR_COMMANDS,
): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return {
    type: ApplicationCommandType.ChatInput,
    name: MODERATOR_COMMAND.name,
    description: MODERATOR_COMMAND.description,
    default_member_permissions: '0',
    options: specs.map((spec): APIApplicationCommandSubcommandOption => {
      // Discord wants required options before optional ones; the text form keeps the spec's order.
      const args = [...spec.args.filter((a) => a.required), ...spec.args.filter((a) => !a.required)];
      return {
        type: ApplicationCommandOptionType.Subcommand,
        name: spec.name,
        description: spec.description,
        ...(args.length > 0 && { options: args.map(moderatorOption) }),
      };
    }),
    contexts: [...CONTEXTS],
    integration_types: [...INTEGRATION_TYPES],
  };
}

function moderatorOption(arg: ModeratorCommandArg): APIApplicationCommandBasicOption {
  const integer = INTEGER_ARGS[arg.name];
  if (integer !== undefined) {
    return {
      type: ApplicationCommandOptionType.Integer,
      name: arg.name,
      description: arg.description,
      required: arg.required,
      min_value: integer.min,
      max_value: integer.max,
    };
  }
  return {
    type: ApplicationCommandOptionType.String,
    name: arg.name,
    description: arg.description,
    required: arg.required,
    ...(arg.choices !== undefined && { choices: arg.choices.map((choice) => ({ name: choice, value: choice })) }),
  };
}
