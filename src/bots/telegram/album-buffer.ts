import type { AlbumInbound, MessageInbound } from '../../core/index.js';

/** Telegram puts at most 10 items in one media group. */
const MAX_ALBUM_ITEMS = 10;

interface Pending {
  readonly albumId: string;
  readonly items: { readonly updateId: number; readonly item: MessageInbound }[];
  timer: NodeJS.Timeout;
}

/**
 * Telegram delivers an album as separate messages sharing a media_group_id, with no marker
 * for the last one. Items are collected until none has arrived for `windowMs` (or the group is
 * full) and handed on as one AlbumInbound, ordered by message id.
 */
export class AlbumBuffer {
  private readonly pending = new Map<string, Pending>();
  /** Albums handed to `emit` whose promise has not settled; they still hold back the offset. */
  private readonly emitting = new Map<Promise<void>, number>();

  constructor(
    private readonly windowMs: number,
    /** Must report its own failures; a rejection here is ignored. */
    private readonly emit: (album: AlbumInbound) => Promise<void>,
  ) {}

  add(chatId: string, albumId: string, updateId: number, item: MessageInbound): void {
    const key = `${chatId}\u0000${albumId}`;
    const existing = this.pending.get(key);
    if (existing !== undefined) {
      clearTimeout(existing.timer);
      existing.items.push({ updateId, item });
      if (existing.items.length >= MAX_ALBUM_ITEMS) {
        this.flush(key);
        return;
      }
      existing.timer = setTimeout(() => this.flush(key), this.windowMs);
      return;
    }
    this.pending.set(key, {
      albumId,
      items: [{ updateId, item }],
      timer: setTimeout(() => this.flush(key), this.windowMs),
    });
  }

  /** The smallest update_id not yet handed on and handled, so polling does not confirm it early. */
  oldestUpdateId(): number | undefined {
    let oldest: number | undefined;
    for (const p of this.pending.values()) {
      for (const { updateId } of p.items) if (oldest === undefined || updateId < oldest) oldest = updateId;
    }
    for (const updateId of this.emitting.values()) if (oldest === undefined || updateId < oldest) oldest = updateId;
    return oldest;
  }

  /** Hands on every collected album now and waits until all of them are handled. */
  async flushAll(): Promise<void> {
    for (const key of [...this.pending.keys()]) this.flush(key);
    await Promise.all([...this.emitting.keys()]);
  }

  /**
   * Hands on every album still being collected in this chat (except `keep`) and waits until
   * they are handled. Telegram sends an album's items back to back, so any other update from
   * the chat means those albums are complete, and they must reach the core before it.
   */
  async flushChat(chatId: string, keep?: string): Promise<void> {
    const prefix = `${chatId}\u0000`;
    const before = new Set(this.emitting.keys());
    for (const key of [...this.pending.keys()]) {
      if (key.startsWith(prefix) && (keep === undefined || key !== `${prefix}${keep}`)) this.flush(key);
    }
    await Promise.all([...this.emitting.keys()].filter((p) => !before.has(p)));
  }

  private flush(key: string): void {
    const p = this.pending.get(key);
    if (p === undefined) return;
    this.pending.delete(key);
    clearTimeout(p.timer);
    const sorted = [...p.items].sort((a, b) => Number(a.item.ref.messageId) - Number(b.item.ref.messageId));
    const first = sorted[0];
    if (first === undefined) return;
    const oldestUpdate = Math.min(...sorted.map((s) => s.updateId));
    const album: AlbumInbound = {
      kind: 'album',
      albumId: p.albumId,
      updateId: String(oldestUpdate),
      userRef: first.item.userRef,
      receivedAt: first.item.receivedAt,
      ...(first.item.profile !== undefined ? { profile: first.item.profile } : {}),
      items: sorted.map((s) => s.item),
    };
    const done: Promise<void> = this.emit(album)
      .catch(() => undefined)
      .finally(() => this.emitting.delete(done));
    this.emitting.set(done, oldestUpdate);
  }
}
