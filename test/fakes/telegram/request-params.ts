import type { IncomingMessage } from 'node:http';

/** A file part of a multipart request, as the Bot API receives an upload. */
export interface UploadedFile {
  readonly kind: 'upload';
  readonly fileName: string;
  readonly mimeType: string;
  readonly bytes: Buffer;
}

export type ParamValue = unknown;

export interface RequestParams {
  readonly params: Record<string, ParamValue>;
  /** Every file part by field name, so "attach://<name>" references can be resolved. */
  readonly uploads: ReadonlyMap<string, UploadedFile>;
  readonly encoding: 'none' | 'json' | 'multipart' | 'urlencoded';
}

/** Parameters the Bot API reads as JSON when they arrive as form fields. */
const JSON_FIELDS = new Set([
  'reply_markup',
  'reply_parameters',
  'entities',
  'caption_entities',
  'media',
  'message_ids',
  'allowed_updates',
  'commands',
  'options',
  'link_preview_options',
  'scope',
]);
const NUMBER_FIELDS = new Set([
  'chat_id',
  'from_chat_id',
  'message_id',
  'offset',
  'limit',
  'timeout',
  'latitude',
  'longitude',
  'max_connections',
  'cache_time',
  'duration',
]);
const BOOLEAN_FIELDS = new Set([
  'drop_pending_updates',
  'disable_notification',
  'protect_content',
  'show_alert',
  'remove_caption',
  'is_anonymous',
]);

function normalize(key: string, value: string): ParamValue {
  if (JSON_FIELDS.has(key)) {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  if (NUMBER_FIELDS.has(key) && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (BOOLEAN_FIELDS.has(key) && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

/**
 * Reads Bot API parameters the ways Telegram accepts them: query string, JSON body,
 * urlencoded or multipart form (telegraf switches to multipart when it uploads a file).
 */
export async function readRequestParams(req: IncomingMessage, url: URL): Promise<RequestParams> {
  const params: Record<string, ParamValue> = {};
  const uploads = new Map<string, UploadedFile>();
  for (const [k, v] of url.searchParams) params[k] = normalize(k, v);
  const body = await readBody(req);
  if (body.length === 0) return { params, uploads, encoding: 'none' };
  const contentType = req.headers['content-type'] ?? '';
  if (contentType.includes('application/json')) {
    const parsed = JSON.parse(body.toString('utf8')) as unknown;
    if (typeof parsed === 'object' && parsed !== null) Object.assign(params, parsed);
    return { params, uploads, encoding: 'json' };
  }
  // undici's Request parses multipart and urlencoded bodies exactly as a server would.
  const form = await new Request('http://fake.local/', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  }).formData();
  for (const [k, v] of form.entries()) {
    if (typeof v === 'string') {
      params[k] = normalize(k, v);
    } else {
      const upload: UploadedFile = {
        kind: 'upload',
        fileName: v.name,
        mimeType: v.type,
        bytes: Buffer.from(await v.arrayBuffer()),
      };
      uploads.set(k, upload);
      params[k] = upload;
    }
  }
  return { params, uploads, encoding: contentType.includes('multipart') ? 'multipart' : 'urlencoded' };
}

export const isUpload = (v: unknown): v is UploadedFile =>
  typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'upload';
