import { escapeMarkdown } from 'discord.js';
import type { TextEntity, TextEntityType } from '../../core/index.js';

/**
 * Core notices and text from other platforms are plain text plus entities; Discord renders
 * markdown. This turns the former into the latter, escaping everything that is not an
 * entity so a Telegram user's `2*3*4` is not shown in italics.
 */

const INLINE_MARKS: Partial<Record<TextEntityType, string>> = {
  bold: '**',
  italic: '*',
  underline: '__',
  strikethrough: '~~',
  spoiler: '||',
};

const WHITESPACE = /\s/;

export function escapePlain(text: string): string {
  const escaped = escapeMarkdown(text, { heading: true, bulletedList: true, numberedList: true, maskedLink: true });
  // escapeMarkdown leaves block quotes alone, and a line starting with ">" would become one.
  return escaped.replace(/^>/gm, '\\>');
}

interface Span {
  readonly entity: TextEntity;
  start: number;
  end: number;
  children: Span[];
}

function clampSpans(text: string, entities: readonly TextEntity[]): Span[] {
  const spans: Span[] = [];
  for (const entity of entities) {
    let start = Math.max(0, entity.offset);
    let end = Math.min(text.length, entity.offset + entity.length);
    // Discord does not render `** bold**`: markers must touch non-space characters.
    if (INLINE_MARKS[entity.type] !== undefined || entity.type === 'code') {
      while (start < end && WHITESPACE.test(text.charAt(start))) start++;
      while (end > start && WHITESPACE.test(text.charAt(end - 1))) end--;
    }
    if (end > start) spans.push({ entity, start, end, children: [] });
  }
  return spans.sort((a, b) => a.start - b.start || b.end - a.end);
}

/** Nests spans; a span that overlaps its parent's end is cut there (markdown cannot interleave). */
function nest(spans: Span[], limit: number): Span[] {
  const roots: Span[] = [];
  let rest = spans;
  let cursor = 0;
  while (rest.length > 0) {
    const [first, ...others] = rest;
    if (!first) break;
    first.start = Math.max(first.start, cursor);
    first.end = Math.min(first.end, limit);
    if (first.end <= first.start) {
      rest = others;
      continue;
    }
    const inside = others.filter((s) => s.start < first.end);
    rest = others.filter((s) => s.start >= first.end);
    const isCode = first.entity.type === 'code' || first.entity.type === 'pre';
    first.children = isCode ? [] : nest(inside, first.end);
    roots.push(first);
    cursor = first.end;
  }
  return roots;
}

function codeSpan(content: string): string {
  return content.includes('`') ? `\`\` ${content} \`\`` : `\`${content}\``;
}

function codeBlock(content: string, language: string | undefined): string {
  const safeLanguage = language && /^[\w+#.-]{1,30}$/.test(language) ? language : '';
  return `\`\`\`${safeLanguage}\n${content.replace(/```/g, '`\u200b``')}\n\`\`\``;
}

const isWebUrl = (url: string | undefined): url is string => url !== undefined && /^https?:\/\/\S+$/i.test(url);

function render(text: string, spans: readonly Span[], start: number, end: number, inQuote: boolean): string {
  const plain = (segment: string): string => {
    const escaped = escapePlain(segment);
    return inQuote ? escaped.replace(/\n/g, '\n> ') : escaped;
  };
  let out = '';
  let position = start;
  for (const span of spans) {
    out += plain(text.slice(position, span.start));
    out += renderSpan(text, span, out, inQuote);
    position = span.end;
  }
  return out + plain(text.slice(position, end));
}

function renderSpan(text: string, span: Span, before: string, inQuote: boolean): string {
  const inner = (): string => render(text, span.children, span.start, span.end, inQuote);
  const { entity } = span;
  const mark = INLINE_MARKS[entity.type];
  if (mark !== undefined) return `${mark}${inner()}${mark}`;
  switch (entity.type) {
    case 'code':
      return codeSpan(text.slice(span.start, span.end));
    case 'pre':
      return codeBlock(text.slice(span.start, span.end), entity.language);
    case 'text_link':
      return isWebUrl(entity.url) ? `[${inner()}](${entity.url})` : inner();
    case 'blockquote': {
      const lead = before === '' || before.endsWith('\n') ? '' : '\n';
      const quoted = render(text, span.children, span.start, span.end, true);
      const next = text.charAt(span.end);
      const tail = next === '' || next === '\n' ? '' : '\n';
      return `${lead}> ${quoted}${tail}`;
    }
    default:
      return inner();
  }
}

/** Plain text with entities -> Discord markdown. */
export function toDiscordMarkdown(text: string, entities: readonly TextEntity[] = []): string {
  if (entities.length === 0) return escapePlain(text);
  return render(text, nest(clampSpans(text, entities), text.length), 0, text.length, false);
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

/**
 * Splits text into pieces of at most `max` UTF-16 units, preferring line breaks, then
 * spaces; the core already splits at the platform limit, but escaping can grow a piece.
 */
export function splitText(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max);
    let skip = 1;
    if (cut < max / 2) cut = rest.lastIndexOf(' ', max);
    if (cut < max / 2) {
      cut = isHighSurrogate(rest.charCodeAt(max - 1)) ? max - 1 : max;
      skip = 0;
    }
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut + skip);
  }
  if (rest.length > 0) pieces.push(rest);
  return pieces;
}
