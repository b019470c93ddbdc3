import { z } from 'zod';

/*
 * The web chat's JSON protocol over one WebSocket (path /ws). Every frame is a JSON object
 * with `v` (protocol version) and `type`. The browser speaks first with `hello`.
 *
 * Client -> server
 *   hello    { token? }                      identify (signed token from localStorage) or get a new id
 *   find     { interests?, language? }       look for a partner (core /find)
 *   message  { id, text }                    a chat message; `id` is the client's message id
 *   typing   {}                              the visitor is typing (throttled)
 *   stop     {}  / next {}                   core /stop and /next
 *   feedback { action, comment? }            a rating action from a rating notice (+ comment)
 *   report   { action?, text? }              report (no action = /report [text]) or a report button
 *   action   { action, text? }               any other button / form the core put on a notice
 *   command  { name, args? }                 a typed slash command (/help, /history ...)
 *
 * Server -> client
 *   welcome  { id, token, state, graceS, maxText }   after hello; then buffered frames follow
 *   state    { status, sessionId }                   offline | searching | chatting
 *   notice   { id, at, text, buttons?, form? }       the bot's own message
 *   relay    { id, at, content, replyTo? }           the stranger's message
 *   edit     { id, content } / delete { id }         the stranger edited / deleted a message
 *   typing   {}                                      the stranger is typing
 *   ack      { id }                                  a client message was accepted
 *   error    { code, message }                       a frame was refused (bad, too fast, ...)
 */

export const PROTOCOL_VERSION = 1;
/** Longest chat message a visitor may send (characters). */
export const MAX_TEXT = 2000;
/** Largest WebSocket frame accepted (bytes); bigger frames close the connection (1009). */
export const MAX_FRAME_BYTES = 16 * 1024;
const MAX_FORM_TEXT = 1000;

const action = z.string().min(1).max(100);
const formText = z.string().max(MAX_FORM_TEXT);
/** Client message ids: random, URL-safe. */
export const CLIENT_MESSAGE_ID = /^[A-Za-z0-9_-]{8,64}$/;
const interest = z
  .string()
  .trim()
  .regex(/^#?[\p{L}\p{N}][\p{L}\p{N}_+-]{0,23}$/u, 'an interest is one word of letters and digits (up to 24)');

const base = { v: z.literal(PROTOCOL_VERSION) };

export const clientFrameSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('hello'), token: z.string().max(256).optional() }),
  z.object({
    ...base,
    type: z.literal('find'),
    interests: z.array(interest).max(10).optional(),
    language: z
      .string()
      .regex(/^[a-z]{2,3}$/, 'a 2- or 3-letter language code')
      .nullable()
      .optional(),
  }),
  z.object({
    ...base,
    type: z.literal('message'),
    id: z.string().regex(CLIENT_MESSAGE_ID, 'a message id of 8-64 letters, digits, "-" or "_"'),
    text: z
      .string()
      .max(MAX_TEXT, `at most ${MAX_TEXT} characters`)
      .refine((t) => t.trim().length > 0, 'an empty message'),
  }),
  z.object({ ...base, type: z.literal('typing') }),
  z.object({ ...base, type: z.literal('stop') }),
  z.object({ ...base, type: z.literal('next') }),
  z.object({ ...base, type: z.literal('feedback'), action, comment: formText.optional() }),
  z.object({ ...base, type: z.literal('report'), action: action.optional(), text: formText.optional() }),
  z.object({ ...base, type: z.literal('action'), action, text: formText.optional() }),
  z.object({
    ...base,
    type: z.literal('command'),
    name: z.string().regex(/^[a-z]{1,32}$/, 'a command name'),
    args: z.string().max(500).optional(),
  }),
]);

export type ClientFrame = z.output<typeof clientFrameSchema>;

export type ParsedFrame =
  | { readonly ok: true; readonly frame: ClientFrame }
  | { readonly ok: false; readonly code: 'bad_json' | 'unsupported_version' | 'bad_frame'; readonly message: string };

/** Parses one text frame; never throws. */
export function parseClientFrame(raw: string): ParsedFrame {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, code: 'bad_json', message: 'Frames must be JSON objects.' };
  }
  if (typeof json === 'object' && json !== null && 'v' in json && json.v !== PROTOCOL_VERSION) {
    return { ok: false, code: 'unsupported_version', message: `This server speaks protocol version ${PROTOCOL_VERSION}; please reload the page.` };
  }
  const parsed = clientFrameSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    return { ok: false, code: 'bad_frame', message: `${where}${issue?.message ?? 'invalid frame'}` };
  }
  return { ok: true, frame: parsed.data };
}

/* ---- server frames ---- */

export type WebStatus = 'offline' | 'searching' | 'chatting';

export interface WebState {
  readonly status: WebStatus;
  readonly sessionId: string | null;
}

export interface WebButton {
  readonly label: string;
  readonly action: string;
}

/** What a relayed message looks like on the page. */
export type WebContent =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'photo'; readonly url: string; readonly caption?: string }
  /** Something the page cannot show (a photo without a fetchable URL, a voice message...). */
  | { readonly kind: 'unavailable'; readonly what: string; readonly caption?: string };

export type ErrorCode =
  | 'bad_json'
  | 'bad_frame'
  | 'unsupported_version'
  | 'hello_first'
  | 'rate_limited'
  | 'replaced'
  | 'binary'
  | 'unknown_action';

export type ServerFrame = { readonly v: typeof PROTOCOL_VERSION } & (
  | {
      readonly type: 'welcome';
      readonly id: string;
      readonly token: string;
      readonly state: WebState;
      readonly graceS: number;
      readonly maxText: number;
    }
  | ({ readonly type: 'state' } & WebState)
  | {
      readonly type: 'notice';
      readonly id: string;
      readonly at: string;
      readonly text: string;
      readonly buttons?: readonly (readonly WebButton[])[];
      readonly form?: { readonly action: string; readonly title: string; readonly label: string };
    }
  | { readonly type: 'relay'; readonly id: string; readonly at: string; readonly content: WebContent; readonly replyTo?: string }
  | { readonly type: 'edit'; readonly id: string; readonly content: WebContent }
  | { readonly type: 'delete'; readonly id: string }
  | { readonly type: 'typing' }
  | { readonly type: 'ack'; readonly id: string }
  | { readonly type: 'error'; readonly code: ErrorCode; readonly message: string }
);

/** Distributes Omit over the frame union, so `frame({ type: 'ack', id })` type-checks per variant. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type ServerFrameBody = DistributiveOmit<ServerFrame, 'v'>;

export const frame = (body: ServerFrameBody): ServerFrame => ({ v: PROTOCOL_VERSION, ...body });
