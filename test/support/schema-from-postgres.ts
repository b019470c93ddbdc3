import type pg from 'pg';
import { shape } from './schema-shape.js';

/*
 * What a database's current schema holds, read from pg_catalog and described with the same
 * lines as schema-from-prisma.ts. Only the migration history table is left out; every other
 * table, view, sequence, column, index, constraint and enum counts, so an object a migration
 * created that schema.prisma does not know about shows up as extra.
 */

type Db = Pick<pg.ClientBase, 'query'>;

const HISTORY_TABLE = '_prisma_migrations';

const RELATION_KINDS: Readonly<Record<string, string>> = {
  r: 'table',
  p: 'partitioned table',
  v: 'view',
  m: 'materialized view',
  S: 'sequence',
  f: 'foreign table',
};

const ACTIONS: Readonly<Record<string, string>> = {
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

function action(code: string): string {
  return ACTIONS[code] ?? `unknown action ${code}`;
}

async function describeEnums(db: Db): Promise<string[]> {
  const { rows } = await db.query<{ name: string; labels: string[] }>(
    `SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
     FROM pg_type t
     JOIN pg_namespace n ON n.oid = t.typnamespace
     JOIN pg_enum e ON e.enumtypid = t.oid
     WHERE n.nspname = current_schema()
     GROUP BY t.typname`,
  );
  return rows.map((r) => shape.enum(r.name, r.labels));
}

async function describeRelations(db: Db): Promise<string[]> {
  const { rows } = await db.query<{ name: string; kind: string }>(
    `SELECT c.relname AS name, c.relkind::text AS kind
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND c.relname <> $1`,
    [HISTORY_TABLE],
  );
  return rows.map((r) =>
    r.kind === 'r' ? shape.table(r.name) : shape.relation(RELATION_KINDS[r.kind] ?? r.kind, r.name),
  );
}

async function describeColumns(db: Db): Promise<string[]> {
  const { rows } = await db.query<{
    table: string;
    column: string;
    type: string;
    not_null: boolean;
    default_expr: string | null;
    identity: string;
    generated: string;
  }>(
    `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
            a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS default_expr,
            a.attidentity::text AS identity, a.attgenerated::text AS generated
     FROM pg_attribute a
     JOIN pg_class c ON c.oid = a.attrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname <> $1
       AND a.attnum > 0 AND NOT a.attisdropped`,
    [HISTORY_TABLE],
  );
  return rows.map((r) => {
    // Prisma never makes identity or generated columns; say so rather than hide them.
    const extra = `${r.identity ? ` IDENTITY ${r.identity}` : ''}${r.generated ? ` GENERATED ${r.generated}` : ''}`;
    return shape.column(r.table, r.column, `${r.type}${extra}`, r.not_null, r.default_expr);
  });
}

async function describeConstraints(db: Db): Promise<string[]> {
  const { rows } = await db.query<{
    name: string;
    table: string;
    kind: string;
    columns: string[] | null;
    ref_table: string | null;
    ref_columns: string[] | null;
    on_delete: string;
    on_update: string;
  }>(
    `SELECT con.conname AS name, c.relname AS table, con.contype::text AS kind,
            (SELECT array_agg(a.attname::text ORDER BY k.ord)
               FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS columns,
            rc.relname AS ref_table,
            (SELECT array_agg(a.attname::text ORDER BY k.ord)
               FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) AS ref_columns,
            con.confdeltype::text AS on_delete, con.confupdtype::text AS on_update
     FROM pg_constraint con
     JOIN pg_class c ON c.oid = con.conrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_class rc ON rc.oid = con.confrelid
     WHERE n.nspname = current_schema() AND c.relname <> $1`,
    [HISTORY_TABLE],
  );
  return rows.map((r) => {
    const columns = r.columns ?? [];
    switch (r.kind) {
      case 'p':
        return shape.primaryKey(r.name, r.table, columns);
      case 'f':
        return shape.foreignKey(
          r.name,
          r.table,
          columns,
          r.ref_table ?? '?',
          r.ref_columns ?? [],
          action(r.on_delete),
          action(r.on_update),
        );
      case 'c':
        return shape.check(r.name, r.table);
      case 'u':
        // Prisma makes unique indexes, never UNIQUE constraints.
        return shape.constraint('unique', r.name, r.table);
      default:
        return shape.constraint(r.kind, r.name, r.table);
    }
  });
}

async function describeIndexes(db: Db): Promise<string[]> {
  const { rows } = await db.query<{
    name: string;
    table: string;
    unique: boolean;
    method: string;
    columns: string[];
    predicate: string | null;
  }>(
    `SELECT i.relname AS name, t.relname AS table, ix.indisunique AS unique, am.amname AS method,
            (SELECT array_agg(
                      CASE WHEN k.attnum = 0 THEN '(expression)' ELSE a.attname::text END
                      || CASE WHEN (ix.indoption[k.ord - 1] & 1) = 1 THEN ' DESC' ELSE '' END
                      ORDER BY k.ord)
               FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
               LEFT JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum
              WHERE k.ord <= ix.indnkeyatts) AS columns,
            pg_get_expr(ix.indpred, ix.indrelid) AS predicate
     FROM pg_index ix
     JOIN pg_class i ON i.oid = ix.indexrelid
     JOIN pg_class t ON t.oid = ix.indrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
     JOIN pg_am am ON am.oid = i.relam
     WHERE n.nspname = current_schema() AND t.relname <> $1
       -- Indexes behind primary keys and UNIQUE constraints are described by those constraints.
       AND NOT EXISTS (
         SELECT 1 FROM pg_constraint con
         WHERE con.conindid = ix.indexrelid AND con.conrelid = ix.indrelid AND con.contype IN ('p', 'u', 'x')
       )`,
    [HISTORY_TABLE],
  );
  return rows.map((r) => shape.index(r.name, r.table, r.unique, r.method, r.columns, r.predicate ?? undefined));
}

/** The lines (see schema-shape.ts) describing the connection's current schema. */
export async function describePostgresSchema(db: Db): Promise<string[]> {
  // One after another: a pg client runs one query at a time.
  const lines: string[] = [];
  for (const describe of [describeEnums, describeRelations, describeColumns, describeConstraints, describeIndexes]) {
    lines.push(...(await describe(db)));
  }
  return lines;
}
