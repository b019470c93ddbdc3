import { discordError, type FailureSpec } from './failures.js';
import type { RecordedFile } from './wire.js';

/**
 * The checks Discord applies to a message body, so adapter bugs show up as the errors Discord
 * would return instead of passing silently.
 */

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const invalid = (field: string, code: string, message: string): FailureSpec =>
  discordError(50035, { [field]: { _errors: [{ code, message }] } });

function componentProblem(rows: unknown[]): string | undefined {
  if (rows.length > 5) return 'at most 5 action rows';
  const ids = new Set<string>();
  for (const row of rows) {
    if (!isRecord(row) || row.type !== 1 || !Array.isArray(row.components)) return 'top-level components must be action rows';
    if (row.components.length < 1 || row.components.length > 5) return 'an action row holds 1 to 5 buttons';
    for (const component of row.components) {
      if (!isRecord(component) || component.type !== 2) return 'only buttons are expected';
      const label = typeof component.label === 'string' ? component.label : '';
      if (label.length > 80) return 'button label longer than 80';
      if (component.style === 5) continue;
      const id = component.custom_id;
      if (typeof id !== 'string' || id.length < 1 || id.length > 100) return 'custom_id must be 1-100 characters';
      if (ids.has(id)) return 'custom_ids must be unique';
      ids.add(id);
    }
  }
  return undefined;
}

export function validateMessage(
  body: unknown,
  files: readonly RecordedFile[],
  options: { readonly uploadLimitBytes: number; readonly creating: boolean },
): FailureSpec | undefined {
  const b = isRecord(body) ? body : {};
  const content = typeof b.content === 'string' ? b.content : '';
  if (content.length > 2000) return invalid('content', 'BASE_TYPE_MAX_LENGTH', 'Must be 2000 or fewer in length.');
  const components = Array.isArray(b.components) ? b.components : [];
  const problem = componentProblem(components);
  if (problem) return invalid('components', 'COMPONENT_INVALID', problem);
  if (files.length > 10) return invalid('files', 'BASE_TYPE_MAX_LENGTH', 'at most 10 files');
  const total = files.reduce((sum, file) => sum + file.data.byteLength, 0);
  if (total > options.uploadLimitBytes) return discordError(40005);
  const empty = content === '' && files.length === 0 && components.length === 0 && b.sticker_ids === undefined && b.poll === undefined;
  if (options.creating && empty) return discordError(50006);
  return undefined;
}

export function validateModal(data: unknown): FailureSpec | undefined {
  const d = isRecord(data) ? data : {};
  if (typeof d.custom_id !== 'string' || d.custom_id.length < 1 || d.custom_id.length > 100) {
    return invalid('data.custom_id', 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
  }
  if (typeof d.title !== 'string' || d.title.length < 1 || d.title.length > 45) {
    return invalid('data.title', 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 45 in length.');
  }
  const components = Array.isArray(d.components) ? d.components : [];
  if (components.length < 1 || components.length > 5) return invalid('data.components', 'BASE_TYPE_BAD_LENGTH', '1 to 5 components');
  for (const component of components) {
    const label = isRecord(component) && typeof component.label === 'string' ? component.label : '';
    if (label.length < 1 || label.length > 45) return invalid('data.components', 'BASE_TYPE_BAD_LENGTH', 'label must be 1-45 characters');
  }
  return undefined;
}

/** Command names Discord accepts: lowercase, 1-32 characters; descriptions 1-100. */
export function validateCommands(body: unknown): FailureSpec | undefined {
  if (!Array.isArray(body)) return invalid('_root', 'BASE_TYPE_ARRAY', 'Must be an array.');
  for (const command of body) {
    const c = isRecord(command) ? command : {};
    if (typeof c.name !== 'string' || !/^[-_\p{Ll}\p{N}]{1,32}$/u.test(c.name)) return invalid('name', 'APPLICATION_COMMAND_INVALID_NAME', 'bad name');
    if (typeof c.description !== 'string' || c.description.length < 1 || c.description.length > 100) {
      return invalid('description', 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    }
    for (const option of Array.isArray(c.options) ? c.options : []) {
      const o = isRecord(option) ? option : {};
      if (typeof o.description !== 'string' || o.description.length < 1 || o.description.length > 100) {
        return invalid('options.description', 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
      }
      const nested = subcommandOptionsProblem(o);
      if (nested) return nested;
    }
  }
  return undefined;
}

/** The options of a subcommand (type 1): valid names and descriptions, at most 25, required ones first. */
function subcommandOptionsProblem(sub: Record<string, unknown>): FailureSpec | undefined {
  if (sub.type !== 1 || !Array.isArray(sub.options)) return undefined;
  if (sub.options.length > 25) return invalid('options.options', 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
  let optionalSeen = false;
  for (const option of sub.options) {
    const o = isRecord(option) ? option : {};
    if (typeof o.name !== 'string' || !/^[-_\p{Ll}\p{N}]{1,32}$/u.test(o.name)) return invalid('options.options.name', 'APPLICATION_COMMAND_INVALID_NAME', 'bad name');
    if (typeof o.description !== 'string' || o.description.length < 1 || o.description.length > 100) {
      return invalid('options.options.description', 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    }
    if (o.required === true && optionalSeen) {
      return invalid('options.options', 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be placed before non-required options');
    }
    if (o.required !== true) optionalSeen = true;
  }
  return undefined;
}
