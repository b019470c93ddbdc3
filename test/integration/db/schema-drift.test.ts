import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigratedTestDatabase, withClient, type TestDatabase } from '../../support/postgres.js';
import { describePostgresSchema } from '../../support/schema-from-postgres.js';
import { describePrismaSchema, parsePrismaSchema } from '../../support/schema-from-prisma.js';
import { diffSchemas, shape } from '../../support/schema-shape.js';

/*
 * The migrations in prisma/migrations are hand-written SQL (the Prisma CLI cannot run its
 * schema engine here), so this proves they build exactly the database schema.prisma
 * describes: every enum, table, column (type, nullability, default), primary key, unique
 * and plain index and foreign key, and nothing else.
 */

const schemaPath = fileURLToPath(new URL('../../../prisma/schema.prisma', import.meta.url));

// schema.prisma cannot express CHECK constraints; the init migration adds these by hand.
const SQL_ONLY = [
  shape.check('Session_id_check', 'Session'),
  shape.check('User_handle_check', 'User'),
  shape.check('Feedback_rating_check', 'Feedback'),
];

async function expectedFrom(schemaFile: string): Promise<string[]> {
  const datamodel = await parsePrismaSchema(await readFile(schemaFile, 'utf8'));
  return [...describePrismaSchema(datamodel), ...SQL_ONLY];
}

let db: TestDatabase | undefined;
let actual: string[] = [];

beforeAll(async () => {
  db = await createMigratedTestDatabase('es_drift');
  actual = await withClient(db.url, describePostgresSchema);
});

afterAll(async () => {
  await db?.drop();
});

describe('schema drift', () => {
  it('the migrated database matches schema.prisma, with nothing missing and nothing extra', async () => {
    const expected = await expectedFrom(schemaPath);

    expect(diffSchemas(expected, actual)).toEqual({ missing: [], extra: [] });
    // An empty comparison would also "match": make sure both sides really were read.
    expect(expected.filter((line) => line.startsWith('table '))).toHaveLength(9);
    expect(expected.filter((line) => line.startsWith('enum '))).toHaveLength(5);
    expect(actual).toContain(
      shape.index('User_platform_external_id_key', 'User', true, 'btree', ['platform', 'external_id']),
    );
  });

  // Each case edits a temporary copy of schema.prisma, as a developer would, and adds no
  // migration: the comparison must then point at exactly what is out of step.
  const edits: {
    readonly what: string;
    readonly from: RegExp;
    readonly to: string;
    readonly missing?: string;
    readonly extra?: string;
  }[] = [
    {
      what: 'a field is added',
      from: /^(\s*language\s+String\?)$/m,
      to: '$1\n  nickname String?',
      missing: shape.column('User', 'nickname', 'text', false, null),
    },
    {
      what: 'a field is removed',
      from: /^\s*language\s+String\?\n/m,
      to: '',
      extra: shape.column('User', 'language', 'text', false, null),
    },
    {
      what: 'a field becomes required',
      from: /^(\s*language\s+)String\?$/m,
      to: '$1String',
      missing: shape.column('User', 'language', 'text', true, null),
    },
    {
      what: 'a default changes',
      from: /@default\(offline\)/,
      to: '@default(searching)',
      missing: shape.column('User', 'status', '"UserStatus"', true, `'searching'::"UserStatus"`),
    },
    {
      what: 'an index is added',
      from: /^(\s*@@index\(\[status\]\))$/m,
      to: '$1\n  @@index([language])',
      missing: shape.index('User_language_idx', 'User', false, 'btree', ['language']),
    },
    {
      what: 'an enum value is added',
      from: /^(\s*minor_safety)$/m,
      to: '$1\n  scam',
      missing: shape.enum('ReportCategory', ['harassment', 'spam', 'sexual', 'minor_safety', 'scam', 'other']),
    },
    {
      what: "a relation's onDelete changes",
      from: /(session Session @relation\(fields: \[sessionId\], references: \[id\], onDelete: )Cascade(\)\n\s*sender)/,
      to: '$1Restrict$2',
      missing: shape.foreignKey(
        'Message_session_id_fkey',
        'Message',
        ['session_id'],
        'Session',
        ['id'],
        'RESTRICT',
        'CASCADE',
      ),
    },
  ];

  it.each(edits)('fails when $what without a migration', async ({ from, to, missing, extra }) => {
    const original = await readFile(schemaPath, 'utf8');
    const edited = original.replace(from, to);
    expect(edited, 'the edit must apply to schema.prisma').not.toBe(original);

    const dir = await mkdtemp(join(tmpdir(), 'es-schema-'));
    try {
      const copy = join(dir, 'schema.prisma');
      await writeFile(copy, edited);
      const diff = diffSchemas(await expectedFrom(copy), actual);

      expect(diff.missing.length + diff.extra.length).toBeGreaterThan(0);
      if (missing !== undefined) expect(diff.missing).toContain(missing);
      if (extra !== undefined) expect(diff.extra).toContain(extra);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
