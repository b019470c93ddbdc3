import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, type PrismaClient } from '../../../src/db/client.js';
import { PrismaReportRepository } from '../../../src/db/repos/reports.js';
import type { NewReport } from '../../../src/core/index.js';
import { createMigratedTestDatabase, type TestDatabase } from '../../support/postgres.js';

/* One report per person and chat, also when two processes file it at the same moment. */

let db: TestDatabase | undefined;
const clients: PrismaClient[] = [];

beforeAll(async () => {
  db = await createMigratedTestDatabase('es_reports');
  // Two clients with pools of their own stand for two service processes.
  clients.push(createPrisma(db.url), createPrisma(db.url));
});

afterAll(async () => {
  for (const c of clients) await c.$disconnect();
  await db?.drop();
});

function client(i: number): PrismaClient {
  const c = clients[i];
  if (!c) throw new Error('beforeAll did not run');
  return c;
}

async function chat(n: number): Promise<NewReport> {
  const a = await client(0).user.create({ data: { platform: 'telegram', externalId: `a${n}`, handle: `u_a${String(n).padStart(5, '0')}` } });
  const b = await client(0).user.create({ data: { platform: 'telegram', externalId: `b${n}`, handle: `u_b${String(n).padStart(5, '0')}` } });
  const id = `session_${String(n).padStart(10, '0')}`;
  await client(0).session.create({ data: { id, userAId: a.id, userBId: b.id } });
  return { sessionId: id, reporterId: a.id, reportedId: b.id, category: 'spam', comment: null };
}

describe('PrismaReportRepository.create', () => {
  it('files the first report and returns it again for a second one', async () => {
    const repo = new PrismaReportRepository(client(0));
    const report = await chat(1);
    const first = await repo.create(report);
    const second = await repo.create({ ...report, category: 'harassment', comment: 'again' });
    expect(first.created).toBe(true);
    expect(second).toEqual({ id: first.id, created: false });
    const rows = await client(0).report.findMany({ where: { sessionId: report.sessionId } });
    expect(rows.map((r) => r.category)).toEqual(['spam']);
  });

  it('stores one report when two processes file the same one at once', async () => {
    const repos = [new PrismaReportRepository(client(0)), new PrismaReportRepository(client(1))];
    for (let n = 10; n < 30; n++) {
      const report = await chat(n);
      const results = await Promise.all(repos.map((r) => r.create(report)));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.id)).size).toBe(1);
      expect(await client(0).report.count({ where: { sessionId: report.sessionId } })).toBe(1);
    }
  });

  it('is held by the database, not only by the check before the insert', async () => {
    const report = await chat(40);
    const data = { ...report, snapshot: [] };
    await client(0).report.create({ data });
    await expect(client(1).report.create({ data })).rejects.toThrow(/Unique constraint|Report_session_id_reporter_id_key/);
  });
});
