import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, type PrismaClient } from '../../../src/db/client.js';
import { createMigratedTestDatabase, type TestDatabase } from '../../support/postgres.js';

/* The generated client over @prisma/adapter-pg against the migrated schema, end to end. */

let db: TestDatabase | undefined;
let prisma: PrismaClient | undefined;

beforeAll(async () => {
  db = await createMigratedTestDatabase('es_client');
  prisma = createPrisma(db.url);
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

function client(): PrismaClient {
  if (!prisma) throw new Error('beforeAll did not run');
  return prisma;
}

const newUser = (externalId: string, handle: string) =>
  client().user.create({ data: { platform: 'telegram', externalId, handle } });

describe('createPrisma', () => {
  it('writes and reads through the driver adapter, with schema defaults applied', async () => {
    const a = await newUser('1001', 'u_0a0b0c');
    const b = await newUser('1002', 'u_0d0e0f');

    // uuid(7): version nibble 7, so ids sort by creation time.
    expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).toMatchObject({ status: 'offline', interests: [], language: null, suspendedAt: null });

    const session = await client().session.create({
      data: { id: 'session_0123456789', userAId: a.id, userBId: b.id, sharedInterests: ['music'] },
    });
    await client().user.update({ where: { id: a.id }, data: { lastSessionId: session.id, status: 'chatting' } });
    await client().message.create({
      data: {
        sessionId: session.id,
        senderId: a.id,
        kind: 'text',
        text: 'hi',
        content: { kind: 'text', text: 'hi' },
        origChatId: '1001',
        origMessageId: '7',
      },
    });

    const found = await client().user.findUniqueOrThrow({
      where: { platform_externalId: { platform: 'telegram', externalId: '1001' } },
      include: { lastSession: { include: { messages: true } } },
    });
    expect(found.status).toBe('chatting');
    expect(found.lastSession?.messages.map((m) => m.content)).toEqual([{ kind: 'text', text: 'hi' }]);
  });

  it('enforces the shapes schema.prisma cannot: session ids, handles and ratings', async () => {
    const a = await newUser('2001', 'u_1a1b1c');
    const b = await newUser('2002', 'u_1d1e1f');

    await expect(
      client().session.create({ data: { id: 'session_XYZ', userAId: a.id, userBId: b.id } }),
    ).rejects.toThrow(/Session_id_check/);
    await expect(newUser('2003', 'moderator-visible-name')).rejects.toThrow(/User_handle_check/);

    const session = await client().session.create({ data: { id: 'session_abcdef0123', userAId: a.id, userBId: b.id } });
    await expect(
      client().feedback.create({ data: { sessionId: session.id, userId: a.id, rating: 6 } }),
    ).rejects.toThrow(/Feedback_rating_check/);
  });

  it('deletes a session together with its messages, and never a user that has history', async () => {
    const a = await newUser('3001', 'u_2a2b2c');
    const b = await newUser('3002', 'u_2d2e2f');
    const session = await client().session.create({ data: { id: 'session_fedcba9876', userAId: a.id, userBId: b.id } });
    await client().message.create({
      data: { sessionId: session.id, senderId: b.id, kind: 'text', origChatId: '3002', origMessageId: '1' },
    });

    await expect(client().user.delete({ where: { id: b.id } })).rejects.toThrow();

    await client().session.delete({ where: { id: session.id } });
    expect(await client().message.count({ where: { sessionId: session.id } })).toBe(0);
  });
});
