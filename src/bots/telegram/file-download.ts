import { DeliveryError, extensionForMime } from '../../core/index.js';
import type { FileHandle } from '../../core/index.js';

/** Files above this are not fetched from another platform (the Bot API's own download limit). */
export const MAX_FOREIGN_FILE_BYTES = 20 * 1024 * 1024;

export interface DownloadedFile {
  readonly bytes: Buffer;
  readonly fileName: string;
}


function fileNameFor(file: FileHandle, contentType: string | null): string {
  if (file.fileName !== undefined && file.fileName !== '') return file.fileName;
  return `file.${extensionForMime(file.mimeType ?? contentType) ?? 'bin'}`;
}

const tooLarge = (file: FileHandle, maxBytes: number): DeliveryError =>
  new DeliveryError('rejected', 'file_too_large', `${file.platform} file is larger than ${maxBytes} bytes`);

/**
 * Fetches a file that lives on another platform so it can be uploaded to Telegram.
 *
 * A file that cannot be carried at all (no URL, over the cap, gone at its source) is a
 * DeliveryError 'rejected': it is about this message, not the recipient (so not 'permanent',
 * which ends the session), and retrying cannot help. A network failure or a 5xx at the
 * source is 'transient', worth a retry.
 */
export async function downloadForeignFile(
  file: FileHandle,
  timeoutMs: number,
  maxBytes = MAX_FOREIGN_FILE_BYTES,
): Promise<DownloadedFile> {
  if (file.url === undefined) {
    throw new DeliveryError('rejected', 'file_unavailable', `${file.platform} file has no URL to fetch`);
  }
  if (file.size !== undefined && file.size > maxBytes) throw tooLarge(file, maxBytes);
  let response: Response;
  try {
    response = await fetch(file.url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  } catch (e) {
    const name = e instanceof Error ? e.name : 'Error';
    throw new DeliveryError('transient', name, `fetching a ${file.platform} file failed: ${name}`);
  }
  if (response.status >= 500) {
    await response.body?.cancel();
    throw new DeliveryError('transient', response.status, `fetching a ${file.platform} file failed: ${response.status}`);
  }
  if (!response.ok || response.body === null) {
    await response.body?.cancel();
    throw new DeliveryError('rejected', response.status, `${file.platform} file is not available: ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body.cancel();
    throw tooLarge(file, maxBytes);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    // fetch bodies are byte streams; the DOM-less typings leave the chunk type open.
    const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      // The declared length can be missing or wrong, so the cap is enforced while reading.
      if (total > maxBytes) {
        await reader.cancel();
        throw tooLarge(file, maxBytes);
      }
      chunks.push(Buffer.from(value));
    }
  } catch (e) {
    if (e instanceof DeliveryError) throw e;
    const name = e instanceof Error ? e.name : 'Error';
    throw new DeliveryError('transient', name, `fetching a ${file.platform} file failed: ${name}`);
  }
  return { bytes: Buffer.concat(chunks), fileName: fileNameFor(file, response.headers.get('content-type')) };
}
