import { extensionForMime, type FileHandle, type Log, type MediaKind } from '../../core/index.js';
import { fetchUrl, type FileFetcher } from './file-fetcher.js';

export interface OutgoingFile {
  readonly name: string;
  readonly data: Buffer;
  readonly contentType: string;
}

export type ResolvedMedia =
  | { readonly kind: 'file'; readonly file: OutgoingFile }
  /** `link` only for Discord CDN urls: other platforms' file urls can embed credentials. */
  | { readonly kind: 'too_large'; readonly size?: number; readonly link?: string }
  | { readonly kind: 'unavailable' };


const DEFAULT_MIME: Record<MediaKind, string> = {
  photo: 'image/jpeg',
  video: 'video/mp4',
  animation: 'video/mp4',
  voice: 'audio/ogg',
  audio: 'audio/mpeg',
  video_note: 'video/mp4',
  sticker: 'image/webp',
  document: 'application/octet-stream',
};

const BASE_NAME: Record<MediaKind, string> = {
  photo: 'photo',
  video: 'video',
  animation: 'animation',
  voice: 'voice-message',
  audio: 'audio',
  video_note: 'video-note',
  sticker: 'sticker',
  document: 'file',
};

/** Kinds whose file name means something to the recipient (a document's title, a song). */
const NAMED_KINDS: ReadonlySet<MediaKind> = new Set(['document', 'audio']);

/**
 * The name a relayed file gets. Photos, videos and voice notes get a neutral name, since
 * camera and screenshot names can carry the sender's name or device; documents and audio
 * keep theirs (without folders or unusual characters). Always with an extension.
 */
export function outgoingFileName(media: MediaKind, mimeType: string, given: string | undefined): string {
  const cleaned = given
    ?.split(/[\\/]/)
    .pop()
    ?.replace(/[^\p{L}\p{N}._ -]/gu, '_')
    .slice(-100);
  const givenExtension = cleaned && /\.([\p{L}\p{N}]{1,8})$/u.exec(cleaned)?.[1];
  const extension = givenExtension || extensionForMime(mimeType) || 'bin';
  if (!NAMED_KINDS.has(media) || !cleaned) return `${BASE_NAME[media]}.${extension}`;
  return givenExtension ? cleaned : `${cleaned}.${extension}`;
}

export interface MediaResolverOptions {
  readonly limitBytes: number;
  readonly fetchTimeoutMs: number;
  readonly fileFetcher?: FileFetcher;
  readonly log: Log;
}

/**
 * Gets the bytes of a relayed file so it can be uploaded to Discord: Discord has no way to
 * send a file by reference, and linking the sender's CDN url would expose where it came from.
 */
export class MediaResolver {
  constructor(private readonly options: MediaResolverOptions) {}

  get limitBytes(): number {
    return this.options.limitBytes;
  }

  async resolve(media: MediaKind, file: FileHandle): Promise<ResolvedMedia> {
    const { limitBytes, fileFetcher, fetchTimeoutMs, log } = this.options;
    const link = file.platform === 'discord' ? file.url : undefined;
    const tooLarge = (size: number | undefined): ResolvedMedia => ({
      kind: 'too_large',
      ...(size !== undefined && { size }),
      ...(link !== undefined && { link }),
    });

    if (file.size !== undefined && file.size > limitBytes) return tooLarge(file.size);

    if (file.platform !== 'discord' && fileFetcher) {
      try {
        const fetched = await fileFetcher(file);
        if (fetched) {
          if (fetched.data.byteLength > limitBytes) return tooLarge(fetched.data.byteLength);
          const mimeType = file.mimeType ?? fetched.mimeType;
          return {
            kind: 'file',
            file: { name: outgoingFileName(media, mimeType, file.fileName ?? fetched.fileName), data: fetched.data, contentType: mimeType },
          };
        }
      } catch (error) {
        log.warn({ platform: file.platform, err: error instanceof Error ? error.name : 'unknown' }, 'file fetcher failed');
      }
    }

    if (file.url !== undefined) {
      const fetched = await fetchUrl(file.url, limitBytes, fetchTimeoutMs);
      if (fetched.kind === 'too_large') return tooLarge(file.size);
      if (fetched.kind === 'ok') {
        const mimeType = file.mimeType ?? fetched.mimeType ?? DEFAULT_MIME[media];
        return {
          kind: 'file',
          file: { name: outgoingFileName(media, mimeType, file.fileName), data: fetched.data, contentType: mimeType },
        };
      }
      log.warn({ platform: file.platform, status: fetched.status }, 'file download failed');
    }
    return { kind: 'unavailable' };
  }
}
