/*
 * A database schema as a set of one-line descriptions ("column "User"."handle": text NOT NULL").
 * The expected side (from schema.prisma) and the actual side (from pg_catalog) are both
 * rendered through these functions, so comparing them is comparing two sets of strings, and
 * a difference reads like what is wrong.
 */

/** Postgres' rule for when format_type() and friends quote an identifier (keywords aside). */
export function pgIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

const q = (name: string): string => `"${name}"`;
const list = (names: readonly string[]): string => `(${names.join(', ')})`;

export const shape = {
  enum: (name: string, values: readonly string[]) => `enum ${q(name)} ${list(values)}`,
  table: (name: string) => `table ${q(name)}`,
  /** Tables are all Prisma makes; anything else in the schema is reported with its kind. */
  relation: (kind: string, name: string) => `${kind} ${q(name)}`,
  column: (table: string, column: string, type: string, notNull: boolean, defaultExpr: string | null) => {
    const constraints = `${notNull ? ' NOT NULL' : ''}${defaultExpr === null ? '' : ` DEFAULT ${defaultExpr}`}`;
    return `column ${q(table)}.${q(column)}: ${type}${constraints}`;
  },
  primaryKey: (name: string, table: string, columns: readonly string[]) =>
    `primary key ${q(name)} on ${q(table)} ${list(columns)}`,
  index: (name: string, table: string, unique: boolean, method: string, columns: readonly string[], where?: string) => {
    const kind = unique ? 'unique index' : 'index';
    return `${kind} ${q(name)} on ${q(table)} using ${method} ${list(columns)}${where ? ` WHERE ${where}` : ''}`;
  },
  foreignKey: (
    name: string,
    table: string,
    columns: readonly string[],
    refTable: string,
    refColumns: readonly string[],
    onDelete: string,
    onUpdate: string,
  ) =>
    `foreign key ${q(name)} on ${q(table)} ${list(columns)} references ${q(refTable)} ${list(refColumns)} ` +
    `ON DELETE ${onDelete} ON UPDATE ${onUpdate}`,
  /** Compared by name only: schema.prisma cannot express CHECK constraints, so tests list them. */
  check: (name: string, table: string) => `check ${q(name)} on ${q(table)}`,
  constraint: (kind: string, name: string, table: string) => `constraint ${q(name)} (${kind}) on ${q(table)}`,
};

export interface SchemaDiff {
  /** Expected by schema.prisma but not in the database. */
  readonly missing: string[];
  /** In the database but not expected. */
  readonly extra: string[];
}

export function diffSchemas(expected: Iterable<string>, actual: Iterable<string>): SchemaDiff {
  const want = new Set(expected);
  const have = new Set(actual);
  return {
    missing: [...want].filter((line) => !have.has(line)).sort(),
    extra: [...have].filter((line) => !want.has(line)).sort(),
  };
}
