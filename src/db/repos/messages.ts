import {
  contentKind,
  type LoggedMessage,
  type MessageContent,
  type MessageRef,
  type MessageRepository,
  type NewMessage,
  type OwnMessage,
  type SessionId,
  type UndeliveredMessage,
  type UserId,
} from '../../core/index.js';
import { Prisma, type Message, type PrismaClient } from '../generated/client.js';

const textOf = (c: MessageContent): string | null =>
  c.kind === 'text' ? c.text : c.kind === 'media' ? (c.caption ?? null) : c.kind === 'poll' ? c.question : null;

/** Chat columns hold "<platform>:<chat id>" so a ref keeps its platform without extra columns. */
const chatKey = (ref: MessageRef): string => `${ref.platform}:${ref.chatId}`;
const splitChatKey = (key: string): { platform: MessageRef['platform']; chatId: string } => {
  const i = key.indexOf(':');
  return { platform: key.slice(0, i) as MessageRef['platform'], chatId: key.slice(i + 1) };
};

const fromRow = (m: Message): LoggedMessage => {
  const orig = splitChatKey(m.origChatId);
  const copy = m.copyChatId ? splitChatKey(m.copyChatId) : undefined;
  return {
    id: m.id,
    sessionId: m.sessionId,
    senderId: m.senderId,
    original: { platform: orig.platform, chatId: orig.chatId, messageId: m.origMessageId },
    copy: copy && m.copyMessageId ? { platform: copy.platform, chatId: copy.chatId, messageId: m.copyMessageId } : null,
  };
};

export class PrismaMessageRepository implements MessageRepository {
  constructor(private readonly db: PrismaClient) {}

  async record(m: NewMessage): Promise<LoggedMessage> {
    const row = await this.db.message.create({
      data: {
        sessionId: m.sessionId,
        senderId: m.senderId,
        kind: contentKind(m.content),
        text: textOf(m.content),
        fileId: m.content.kind === 'media' ? m.content.file.fileId : null,
        content: m.content as unknown as Prisma.InputJsonValue,
        albumId: m.albumId ?? null,
        origChatId: chatKey(m.original),
        origMessageId: m.original.messageId,
        createdAt: m.at,
      },
    });
    return fromRow(row);
  }

  async undelivered(since: Date): Promise<UndeliveredMessage[]> {
    const rows = await this.db.message.findMany({
      where: {
        createdAt: { gte: since },
        copyMessageId: null,
        deletedAt: null,
        purgedAt: null,
        failedAt: null,
        content: { not: Prisma.DbNull },
        session: { endedAt: null },
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map((m) => ({ ...fromRow(m), at: m.createdAt, content: m.content as unknown as MessageContent, albumId: m.albumId }));
  }

  async setCopy(id: string, copy: MessageRef): Promise<void> {
    await this.db.message.update({ where: { id }, data: { copyChatId: chatKey(copy), copyMessageId: copy.messageId } });
  }

  async markFailed(ids: readonly string[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.db.message.updateMany({ where: { id: { in: [...ids] }, copyMessageId: null }, data: { failedAt: at } });
  }

  async byOriginal(sessionId: SessionId, original: MessageRef): Promise<LoggedMessage | null> {
    const row = await this.db.message.findFirst({
      where: { sessionId, origChatId: chatKey(original), origMessageId: original.messageId },
      orderBy: { createdAt: 'asc' },
    });
    return row ? fromRow(row) : null;
  }

  async byCopy(sessionId: SessionId, copy: MessageRef): Promise<LoggedMessage | null> {
    const row = await this.db.message.findFirst({
      where: { sessionId, copyChatId: chatKey(copy), copyMessageId: copy.messageId },
    });
    return row ? fromRow(row) : null;
  }

  async markEdited(id: string, content: MessageContent, at: Date): Promise<void> {
    await this.db.message.updateMany({
      where: { id, purgedAt: null },
      data: { editedAt: at, text: textOf(content), content: content as unknown as Prisma.InputJsonValue },
    });
  }

  async markDeleted(id: string, at: Date): Promise<void> {
    await this.db.message.update({ where: { id }, data: { deletedAt: at } });
  }

  async ownMessages(sessionId: SessionId, userId: UserId): Promise<OwnMessage[]> {
    const rows = await this.db.message.findMany({
      where: { sessionId, senderId: userId, purgedAt: null },
      orderBy: { createdAt: 'asc' },
      select: { createdAt: true, kind: true, text: true },
    });
    return rows.map((r) => ({ at: r.createdAt, kind: r.kind, text: r.text }));
  }

  async purgeContentBefore(cutoff: Date): Promise<number> {
    // Messages that are evidence in an open report stay until the report is closed; the
    // report keeps its own snapshot, so the rows themselves can go.
    const { count } = await this.db.message.updateMany({
      where: { createdAt: { lt: cutoff }, purgedAt: null },
      data: { text: null, fileId: null, content: Prisma.DbNull, purgedAt: new Date() },
    });
    return count;
  }
}
