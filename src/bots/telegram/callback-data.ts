import { LruMap } from '../../core/lru-map.js';

/** Telegram rejects callback_data longer than 64 bytes. */
export const MAX_CALLBACK_DATA_BYTES = 64;

// Never the first character of a core action we send verbatim, so a key cannot be mistaken
// for an action (actions that do start with it are stored like long ones).
const KEY_PREFIX = '~';

/**
 * Turns core button actions into callback_data and back. Short actions travel verbatim, so
 * they survive restarts; long ones are kept here under a short key, so a button pressed after
 * a restart (or after the key was evicted) resolves to undefined and the user is told it expired.
 */
export class CallbackData {
  private readonly byKey: LruMap<string, string>;
  private readonly byAction: LruMap<string, string>;
  private next = 0;

  constructor(capacity = 10_000) {
    this.byKey = new LruMap(capacity);
    this.byAction = new LruMap(capacity);
  }

  encode(action: string): string {
    const bytes = Buffer.byteLength(action, 'utf8');
    if (bytes > 0 && bytes <= MAX_CALLBACK_DATA_BYTES && !action.startsWith(KEY_PREFIX)) return action;
    const known = this.byAction.get(action);
    if (known !== undefined && this.byKey.get(known) === action) return known;
    const key = `${KEY_PREFIX}${(this.next++).toString(36)}`;
    this.byKey.set(key, action);
    this.byAction.set(action, key);
    return key;
  }

  decode(data: string): string | undefined {
    if (!data.startsWith(KEY_PREFIX)) return data;
    return this.byKey.get(data);
  }
}
