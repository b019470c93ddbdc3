import {
  ButtonStyle,
  ComponentType,
  TextInputStyle,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIModalInteractionResponseCallbackData,
} from 'discord.js';
import type { ButtonRow } from '../../core/index.js';
import type { ActionCodec, FormSpec } from './action-codec.js';

/** Discord's limits for message components and modals. */
export const BUTTONS_PER_ROW = 5;
export const ROWS_PER_MESSAGE = 5;
const BUTTON_LABEL_MAX = 80;
const MODAL_TITLE_MAX = 45;
const MODAL_LABEL_MAX = 45;
const MODAL_TEXT_MAX = 4000;

/** The custom_id of the one text input in our modals, read back on submit. */
export const FORM_TEXT_INPUT_ID = 'text';

export type ButtonActionRow = APIActionRowComponent<APIButtonComponentWithCustomId>;

const clip = (text: string, max: number): string => {
  const trimmed = text.trim();
  if (trimmed === '') return '…';
  return trimmed.length <= max ? trimmed : `${trimmed.slice(0, max - 1)}…`;
};

function button(label: string, customId: string, style: ButtonStyle.Primary | ButtonStyle.Secondary): APIButtonComponentWithCustomId {
  return { type: ComponentType.Button, style, label: clip(label, BUTTON_LABEL_MAX), custom_id: customId };
}

/**
 * Core button rows -> Discord action rows: a core row longer than five buttons wraps onto
 * the next row, and rows past Discord's fifth are dropped (the caller logs that).
 */
export function buttonRows(
  rows: readonly ButtonRow[],
  codec: ActionCodec,
  taken: Set<string> = new Set(),
): { rows: ButtonActionRow[]; dropped: number } {
  const out: ButtonActionRow[] = [];
  let dropped = 0;
  for (const row of rows) {
    for (let i = 0; i < row.length; i += BUTTONS_PER_ROW) {
      const chunk = row.slice(i, i + BUTTONS_PER_ROW);
      if (out.length >= ROWS_PER_MESSAGE) {
        dropped += chunk.length;
        continue;
      }
      out.push({
        type: ComponentType.ActionRow,
        components: chunk.map((b) => button(b.label, codec.encodeAction(b.action, taken), ButtonStyle.Secondary)),
      });
    }
  }
  return { rows: out, dropped };
}

/** A button that opens the form's modal, for when no interaction is at hand to show it. */
export function formOpenerRow(form: FormSpec, codec: ActionCodec, taken: Set<string> = new Set()): ButtonActionRow {
  return {
    type: ComponentType.ActionRow,
    components: [button(`✍️ ${form.title}`, codec.encodeFormOpener(form, taken), ButtonStyle.Primary)],
  };
}

export function formModal(form: FormSpec, codec: ActionCodec): APIModalInteractionResponseCallbackData {
  return {
    custom_id: codec.encodeAction(form.action),
    title: clip(form.title, MODAL_TITLE_MAX),
    components: [
      {
        type: ComponentType.Label,
        label: clip(form.label, MODAL_LABEL_MAX),
        component: {
          type: ComponentType.TextInput,
          custom_id: FORM_TEXT_INPUT_ID,
          style: TextInputStyle.Paragraph,
          // Core forms are often optional comments; the core decides what an empty answer means.
          required: false,
          max_length: MODAL_TEXT_MAX,
        },
      },
    ],
  };
}
