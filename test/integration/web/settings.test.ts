import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, type PrismaClient } from '../../../src/db/client.js';
import { PrismaSettingsRepository } from '../../../src/db/repos/index.js';
import { createMigratedTestDatabase, type TestDatabase } from '../../support/postgres.js';

/* WEB_SECRET when unset: generated once, stored in AppSetting, the same for every process. */

let db: TestDatabase;
let prisma: PrismaClient;

beforeAll(async () => {
  db = await createMigratedTestDatabase('es_web_settings');
  prisma = createPrisma(db.url);
});

afterAll(async () => {
  await prisma.$disconnect();
  await db.drop();
});

describe('PrismaSettingsRepository', () => {
  it('get is null until a value is stored; setIfAbsent never overwrites', async () => {
    const repo = new PrismaSettingsRepository(prisma);
    expect(await repo.get('k1')).toBeNull();
    expect(await repo.setIfAbsent('k1', 'first')).toBe('first');
    expect(await repo.setIfAbsent('k1', 'second')).toBe('first');
    expect(await repo.get('k1')).toBe('first');
  });

  it('concurrent first starts agree on one generated value', async () => {
    // Each start has a client of its own, as separate processes would.
    const clients = Array.from({ length: 8 }, () => createPrisma(db.url, { maxConnections: 1 }));
    const values = await Promise.all(
      clients.map((c, i) => new PrismaSettingsRepository(c).getOrCreate('web_secret', () => `secret-${i}`.padEnd(64, 'x'))),
    ).finally(() => Promise.all(clients.map((c) => c.$disconnect())));
    expect(new Set(values).size).toBe(1);
    expect(await new PrismaSettingsRepository(prisma).get('web_secret')).toBe(values[0]);
    expect(await new PrismaSettingsRepository(prisma).getOrCreate('web_secret', () => 'never used')).toBe(values[0]);
  });
});

describe('PrismaSettingsRepository lists', () => {
  it('reads empty until written, then what was written last; garbage reads as empty', async () => {
    const repo = new PrismaSettingsRepository(prisma);
    const list = { read: () => repo.getList('telegram_moderator_menus'), write: (v: string[]) => repo.setList('telegram_moderator_menus', v) };
    expect(await list.read()).toEqual([]);
    await list.write(['5001', '5002']);
    expect(await list.read()).toEqual(['5001', '5002']);
    await list.write(['5001']);
    expect(await list.read()).toEqual(['5001']);
    await repo.set('telegram_moderator_menus', '{not json');
    expect(await list.read()).toEqual([]);
  });
});
