import internals from '@prisma/internals';
import { pgIdent, shape } from './schema-shape.js';

/*
 * What `prisma migrate` would create in Postgres for a schema.prisma, read through Prisma's
 * own parser (getDMMF, the same WebAssembly the CLI uses) and Prisma's Postgres conventions:
 * tables and columns under their @@map/@map names, lists nullable and without NOT NULL,
 * client-side defaults (uuid(), cuid(), @updatedAt) absent from the database, unique
 * constraints as unique indexes, default constraint names `{table}_{columns}_{suffix}`
 * trimmed to 63 characters, relations ON DELETE Restrict/SetNull and ON UPDATE Cascade unless
 * stated. Anything this file does not know how to map throws, so the drift test fails loudly
 * instead of passing on a schema feature it cannot see.
 */

type Document = Awaited<ReturnType<typeof internals.getDMMF>>;
type Datamodel = Document['datamodel'];
type Model = Datamodel['models'][number];
type Field = Model['fields'][number];

/** Parses schema.prisma text with Prisma's parser; a schema error is thrown as Prisma words it. */
export async function parsePrismaSchema(schemaText: string): Promise<Datamodel> {
  const document = await internals.getDMMF({ datamodel: schemaText });
  return document.datamodel;
}

const MAX_IDENTIFIER = 63;

// Prisma trims the `{table}_{columns}` part so that the name with its suffix fits Postgres.
function defaultName(
  table: string,
  columns: readonly string[] | null,
  suffix: '_pkey' | '_key' | '_idx' | '_fkey',
): string {
  const joined = columns === null ? table : `${table}_${columns.join('_')}`;
  const room = MAX_IDENTIFIER - suffix.length;
  return `${joined.length >= room ? joined.slice(0, room) : joined}${suffix}`;
}

const SCALAR_TYPES: Readonly<Record<string, string>> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Float: 'double precision',
  Decimal: 'numeric(65,30)',
  Boolean: 'boolean',
  DateTime: 'timestamp(3) without time zone',
  Json: 'jsonb',
  Bytes: 'bytea',
};

// @db.X attributes, rendered as Postgres' format_type() prints them.
function nativeType(name: string, args: readonly string[]): string {
  const [first, second] = args;
  switch (name) {
    case 'Uuid':
      return 'uuid';
    case 'Text':
      return 'text';
    case 'Citext':
      return 'citext';
    case 'VarChar':
      return first === undefined ? 'character varying' : `character varying(${first})`;
    case 'Char':
      return `character(${first ?? 1})`;
    case 'SmallInt':
      return 'smallint';
    case 'Integer':
      return 'integer';
    case 'BigInt':
      return 'bigint';
    case 'Real':
      return 'real';
    case 'DoublePrecision':
      return 'double precision';
    case 'Decimal':
      return first === undefined ? 'numeric' : `numeric(${first},${second ?? 0})`;
    case 'Boolean':
      return 'boolean';
    case 'Timestamptz':
      return `timestamp(${first ?? 6}) with time zone`;
    case 'Timestamp':
      return `timestamp(${first ?? 6}) without time zone`;
    case 'Date':
      return 'date';
    case 'JsonB':
      return 'jsonb';
    case 'Json':
      return 'json';
    case 'ByteA':
      return 'bytea';
    default:
      throw new Error(`schema-from-prisma: @db.${name} is not mapped yet; add it to nativeType()`);
  }
}

function columnType(field: Field, enumDbNames: ReadonlyMap<string, string>): string {
  let base: string | undefined;
  if (field.kind === 'enum') {
    base = pgIdent(enumDbNames.get(field.type) ?? field.type);
  } else if (field.nativeType) {
    base = nativeType(field.nativeType[0], field.nativeType[1]);
  } else {
    base = SCALAR_TYPES[field.type];
  }
  if (base === undefined) throw new Error(`schema-from-prisma: field type ${field.type} is not mapped yet`);
  return field.isList ? `${base}[]` : base;
}

const sqlString = (value: string): string => `'${value.replaceAll("'", "''")}'`;

// The default as pg_get_expr() prints it, or null when Prisma fills the value in the client.
function columnDefault(field: Field, type: string, table: string, column: string): string | null {
  if (!field.hasDefaultValue || field.default === undefined) return null;
  const value = field.default;
  if (Array.isArray(value)) {
    if (value.length === 0) return `ARRAY[]::${type}`;
    throw new Error(`schema-from-prisma: non-empty list default on ${table}.${column} is not mapped yet`);
  }
  if (typeof value === 'object') {
    const fn = value as { readonly name: string; readonly args: readonly (string | number)[] };
    switch (fn.name) {
      case 'now':
        return 'CURRENT_TIMESTAMP';
      case 'uuid':
      case 'cuid':
      case 'nanoid':
      case 'ulid':
        return null;
      case 'autoincrement':
        return `nextval('${pgIdent(`${table}_${column}_seq`)}'::regclass)`;
      case 'dbgenerated':
        return typeof fn.args[0] === 'string' ? fn.args[0] : null;
      default:
        throw new Error(`schema-from-prisma: default ${fn.name}() on ${table}.${column} is not mapped yet`);
    }
  }
  if (field.kind === 'enum') return `${sqlString(String(value))}::${type}`;
  if (typeof value === 'string') {
    if (type === 'text') return `${sqlString(value)}::text`;
    if (type === 'jsonb') return `${sqlString(value)}::jsonb`;
    throw new Error(`schema-from-prisma: a ${type} literal default on ${table}.${column} is not mapped yet`);
  }
  return String(value);
}

const REFERENTIAL_ACTIONS: Readonly<Record<string, string>> = {
  Cascade: 'CASCADE',
  Restrict: 'RESTRICT',
  NoAction: 'NO ACTION',
  SetNull: 'SET NULL',
  SetDefault: 'SET DEFAULT',
};

function referentialAction(action: string): string {
  const sql = REFERENTIAL_ACTIONS[action];
  if (sql === undefined) throw new Error(`schema-from-prisma: referential action ${action} is not mapped yet`);
  return sql;
}

/** The lines (see schema-shape.ts) describing what migrating to `datamodel` creates. */
export function describePrismaSchema(datamodel: Datamodel): string[] {
  const lines: string[] = [];
  const enumDbNames = new Map(datamodel.enums.map((e) => [e.name, e.dbName ?? e.name]));
  const models = new Map(datamodel.models.map((m) => [m.name, m]));
  const tableOf = (model: Model): string => model.dbName ?? model.name;
  const columnOf = (model: Model, fieldName: string): string => {
    const field = model.fields.find((f) => f.name === fieldName);
    if (!field) throw new Error(`schema-from-prisma: ${model.name}.${fieldName} not found`);
    return field.dbName ?? field.name;
  };

  for (const e of datamodel.enums) {
    lines.push(shape.enum(e.dbName ?? e.name, e.values.map((v) => v.dbName ?? v.name)));
  }

  for (const model of datamodel.models) {
    const table = tableOf(model);
    lines.push(shape.table(table));
    for (const field of model.fields) {
      if (field.kind === 'object') continue;
      if (field.kind === 'unsupported') {
        throw new Error(`schema-from-prisma: Unsupported() field ${model.name}.${field.name}`);
      }
      const column = field.dbName ?? field.name;
      const type = columnType(field, enumDbNames);
      // Prisma never puts NOT NULL on a list column.
      const notNull = field.isRequired && !field.isList;
      lines.push(shape.column(table, column, type, notNull, columnDefault(field, type, table, column)));
    }
    for (const relation of model.fields) {
      const from = relation.relationFromFields ?? [];
      if (relation.kind !== 'object' || from.length === 0) continue;
      const target = models.get(relation.type);
      if (!target) throw new Error(`schema-from-prisma: ${model.name}.${relation.name}: no model ${relation.type}`);
      const columns = from.map((f) => columnOf(model, f));
      const onDelete = relation.relationOnDelete ?? (relation.isRequired ? 'Restrict' : 'SetNull');
      lines.push(
        shape.foreignKey(
          defaultName(table, columns, '_fkey'),
          table,
          columns,
          tableOf(target),
          (relation.relationToFields ?? []).map((f) => columnOf(target, f)),
          referentialAction(onDelete),
          referentialAction(relation.relationOnUpdate ?? 'Cascade'),
        ),
      );
    }
  }

  for (const index of datamodel.indexes) {
    const model = models.get(index.model);
    if (!model) throw new Error(`schema-from-prisma: index on unknown model ${index.model}`);
    const table = tableOf(model);
    const columns = index.fields.map((f) => columnOf(model, f.name));
    if (index.type === 'id') {
      lines.push(shape.primaryKey(index.dbName ?? defaultName(table, null, '_pkey'), table, columns));
      continue;
    }
    if (index.type !== 'unique' && index.type !== 'normal') {
      throw new Error(`schema-from-prisma: ${index.type} index on ${table} is not mapped yet`);
    }
    if (index.fields.some((f) => f.operatorClass !== undefined || f.length !== undefined)) {
      throw new Error(`schema-from-prisma: operator classes and index lengths on ${table} are not mapped yet`);
    }
    const unique = index.type === 'unique';
    const keyed = index.fields.map((f, i) => `${columns[i] ?? f.name}${f.sortOrder === 'desc' ? ' DESC' : ''}`);
    lines.push(
      shape.index(
        index.dbName ?? defaultName(table, columns, unique ? '_key' : '_idx'),
        table,
        unique,
        (index.algorithm ?? 'BTree').toLowerCase(),
        keyed,
      ),
    );
  }
  return lines;
}
