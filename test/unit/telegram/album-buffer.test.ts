import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MessageInbound } from '../../../src/core/index.js';
import { AlbumBuffer } from '../../../src/bots/telegram/album-buffer.js';

describe('AlbumBuffer', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const item = (id: number): MessageInbound => ({
    kind: 'message',
    updateId: String(100 + id),
    userRef: { platform: 'telegram', externalId: '1' },
    receivedAt: new Date(0),
    ref: { platform: 'telegram', chatId: '1', messageId: String(id) },
    content: { kind: 'text', text: String(id) },
  });

  it('emits one album after a quiet window, sorted by message id, and holds back the offset until then', async () => {
    vi.useFakeTimers();
    const emitted: string[][] = [];
    const buffer = new AlbumBuffer(500, (a) => {
      emitted.push(a.items.map((i) => i.ref.messageId));
      return Promise.resolve();
    });
    buffer.add('1', 'g', 102, item(2));
    vi.advanceTimersByTime(400);
    buffer.add('1', 'g', 101, item(1));
    vi.advanceTimersByTime(400);
    expect(emitted).toEqual([]);
    expect(buffer.oldestUpdateId()).toBe(101);
    vi.advanceTimersByTime(100);
    await buffer.flushAll();
    expect(emitted).toEqual([['1', '2']]);
    expect(buffer.oldestUpdateId()).toBeUndefined();
  });

  it('emits a full album of ten at once, and flushAll emits what is pending', async () => {
    const emitted: number[] = [];
    const buffer = new AlbumBuffer(60_000, (a) => {
      emitted.push(a.items.length);
      return Promise.resolve();
    });
    for (let i = 1; i <= 10; i++) buffer.add('1', 'full', 100 + i, item(i));
    buffer.add('2', 'rest', 200, item(1));
    await Promise.resolve();
    expect(emitted).toEqual([10]);
    await buffer.flushAll();
    expect(emitted).toEqual([10, 1]);
  });
});
