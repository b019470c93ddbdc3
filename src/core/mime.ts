/** File extensions for the media types platforms hand around, for naming re-uploaded files. */
const EXTENSIONS: Readonly<Record<string, string>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'video/mp4': 'mp4',
  'video/webm': 'webm',
  'video/quicktime': 'mov',
  'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/wav': 'wav',
  'application/pdf': 'pdf',
  'application/x-tgsticker': 'tgs',
};

/** The extension for a MIME type (parameters ignored), or undefined when unknown. */
export function extensionForMime(mime: string | null | undefined): string | undefined {
  const bare = (mime ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return EXTENSIONS[bare];
}
