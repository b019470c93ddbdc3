/**
 * Splits text for a platform limit at the last paragraph, line or word break that fits,
 * so nothing is silently cut. Returns null when it would take more than maxParts
 * messages: such a text is refused with a clear reply instead.
 */
export function splitText(text: string, limit: number, maxParts = 4): string[] | null {
  if (text.length <= limit) return [text];
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const window = rest.slice(0, limit);
    let cut = Math.max(window.lastIndexOf('\n\n'), window.lastIndexOf('\n'), window.lastIndexOf(' '));
    if (cut < limit / 2) cut = limit;
    // Never split a surrogate pair (emoji) in half.
    const code = rest.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
    if (parts.length >= maxParts) return null;
  }
  if (rest.length > 0) parts.push(rest);
  return parts.length > maxParts ? null : parts;
}
