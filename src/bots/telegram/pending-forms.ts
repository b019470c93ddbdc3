import { LruMap } from '../../core/lru-map.js';

export interface PendingForm {
  readonly action: string;
  readonly promptMessageId: number;
  readonly expiresAt: number;
}

/**
 * Telegram has no modal forms, so a form is a ForceReply prompt; the user's next text in that
 * chat (a reply to the prompt, or a plain message that replies to nothing) is the answer.
 * One pending form per chat: a newer prompt replaces an older one.
 */
export class PendingForms {
  private readonly byChat: LruMap<string, PendingForm>;

  constructor(
    private readonly ttlMs = 30 * 60_000,
    capacity = 10_000,
    private readonly now: () => number = Date.now,
  ) {
    this.byChat = new LruMap(capacity);
  }

  open(chatId: string, action: string, promptMessageId: number): void {
    this.byChat.set(chatId, { action, promptMessageId, expiresAt: this.now() + this.ttlMs });
  }

  /** The form this text answers, consumed; undefined when the text is an ordinary message. */
  take(chatId: string, replyToMessageId: number | undefined): PendingForm | undefined {
    const form = this.byChat.get(chatId);
    if (form === undefined) return undefined;
    if (form.expiresAt <= this.now()) {
      this.byChat.delete(chatId);
      return undefined;
    }
    if (replyToMessageId !== undefined && replyToMessageId !== form.promptMessageId) return undefined;
    this.byChat.delete(chatId);
    return form;
  }

  cancel(chatId: string): void {
    this.byChat.delete(chatId);
  }
}
