import type { FileHandle } from '../../core/index.js';

export interface FetchedFile {
  readonly data: Buffer;
  readonly fileName: string;
  readonly mimeType: string;
}

/**
 * The port through which the Discord adapter gets the bytes of a file that lives on another
 * platform and has no fetchable url (a Telegram file id). main.ts supplies it from the owning
 * adapter; it resolves to null when it cannot produce the file.
 */
export type FileFetcher = (file: FileHandle) => Promise<FetchedFile | null>;

export type UrlFetchResult =
  | { readonly kind: 'ok'; readonly data: Buffer; readonly mimeType?: string }
  | { readonly kind: 'too_large' }
  | { readonly kind: 'failed'; readonly status?: number };

/**
 * Downloads a url, giving up as soon as the body passes `limitBytes`: the declared length is
 * checked first, but it is not trusted, so the stream is counted too.
 */
export async function fetchUrl(url: string, limitBytes: number, timeoutMs: number): Promise<UrlFetchResult> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  } catch {
    return { kind: 'failed' };
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    return { kind: 'failed', status: response.status };
  }
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > limitBytes) {
    await response.body.cancel().catch(() => undefined);
    return { kind: 'too_large' };
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const result: { readonly done: boolean; readonly value?: unknown } = await reader.read();
      if (result.done) break;
      if (!(result.value instanceof Uint8Array)) continue;
      total += result.value.byteLength;
      if (total > limitBytes) {
        await reader.cancel().catch(() => undefined);
        return { kind: 'too_large' };
      }
      chunks.push(result.value);
    }
  } catch {
    return { kind: 'failed' };
  }
  const mimeType = response.headers.get('content-type')?.split(';')[0]?.trim();
  return { kind: 'ok', data: Buffer.concat(chunks), ...(mimeType ? { mimeType } : {}) };
}
