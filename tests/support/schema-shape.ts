// The shape of a schema, engine aside: tables, columns (what a value means, nullability, default,
// numbering), primary keys, foreign keys and indexes (unique constraints among them, as both
// engines keep one as a unique index). Read from drizzle's table configs (the two schema files)
// or from a live database's catalogue (the two migration folders applied), so that
// src/lib/server/db/schema-parity.spec.ts and src/lib/server/db/postgres/migrations.spec.ts can
// say where the engines differ.
import { Column, getTableName, is, SQL, StringChunk, type Table } from 'drizzle-orm';
import { getTableConfig as sqliteConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { getTableConfig as pgConfig, PgTable } from 'drizzle-orm/pg-core';
import type Database from 'better-sqlite3';
import type pg from 'pg';

export interface ColumnShape {
	/** What the value is, the same word on both engines (TYPES). */
	type: string;
	notNull: boolean;
	/** The default as SQL, "now" spelled one way (DEFAULTS); null for none. */
	default: string | null;
	/** Numbered by the database when not given (SQLite AUTOINCREMENT, a PostgreSQL identity). */
	numbered: boolean;
	/** A text column's allowed values (drizzle's enum; neither engine keeps a check on them). */
	values?: readonly string[];
}

export interface TableShape {
	columns: Record<string, ColumnShape>;
	primaryKey: string[];
	/** `(from) -> table(to) on delete … on update …`, sorted. */
	foreignKeys: string[];
	/** By name: `unique? (columns) where …`. */
	indexes: Record<string, string>;
	/** By name: the check's SQL. */
	checks: Record<string, string>;
}

export type SchemaShape = Record<string, TableShape>;

/**
 * The mapping table: each meaning as the SQLite schema spells it (drizzle's column type, and
 * mode), as SQLite stores it (a live catalogue has only that), and as PostgreSQL spells it.
 */
export const TYPES = [
	{ type: 'integer', sqlite: 'SQLiteInteger', storage: 'integer', postgres: 'integer' },
	{ type: 'timestamp', sqlite: 'SQLiteTimestamp:timestamp_ms', storage: 'integer', postgres: 'timestamp(3) with time zone' },
	{ type: 'boolean', sqlite: 'SQLiteBoolean:boolean', storage: 'integer', postgres: 'boolean' },
	{ type: 'text', sqlite: 'SQLiteText', storage: 'text', postgres: 'text' },
	{ type: 'json', sqlite: 'SQLiteTextJson', storage: 'text', postgres: 'jsonb' },
	{ type: 'real', sqlite: 'SQLiteReal', storage: 'real', postgres: 'double precision' },
	{ type: 'bytes', sqlite: 'SQLiteBlobBuffer', storage: 'blob', postgres: 'bytea' }
] as const;

/** Defaults spelled differently on the two engines for the same value. */
const DEFAULTS: Record<string, string> = { '(unixepoch() * 1000)': 'now', 'unixepoch() * 1000': 'now', 'now()': 'now' };

type Engine = 'sqlite' | 'postgres';

/** The meaning of an engine's spelling of a type, or the spelling itself marked unmapped. */
function meaning(engine: Engine | 'storage', spelling: string): string {
	const spelt = spelling.toLowerCase().replace(/\s+\(/g, '(');
	const row = TYPES.find((t) => (engine === 'sqlite' ? t.sqlite === spelling : engine === 'storage' ? t.storage === spelt : t.postgres === spelt));
	if (row === undefined) return `unmapped ${engine} type ${spelling}`;
	// A live SQLite catalogue says only how a value is stored: 'integer' for three meanings.
	return engine === 'storage' ? row.storage : row.type;
}

function defaultSql(value: string | null): string | null {
	if (value === null) return null;
	const plain = value.replace(/::[a-z ]+$/, '');
	return DEFAULTS[plain] ?? plain;
}

/** SQL written in the schema as text: its strings, a column by its name. */
function render(sql: SQL): string {
	return sql.queryChunks.map((c) => (is(c, StringChunk) ? c.value.join('') : is(c, Column) ? c.name : is(c, SQL) ? render(c) : String(c))).join('');
}

/** A partial index's condition, spelled alike: lower case, no quotes, parentheses or table names. */
function condition(where: string): string {
	return where
		.toLowerCase()
		.replace(/["`()]/g, '')
		.replace(/\b\w+\.(\w+)/g, '$1')
		.replace(/\s+/g, ' ')
		.trim();
}

function indexShape(unique: boolean, columns: string[], where: string | null): string {
	return `${unique ? 'unique ' : ''}(${columns.join(', ')})${where ? ` where ${condition(where)}` : ''}`;
}

function foreignKey(from: string[], table: string, to: string[], onDelete: string | undefined, onUpdate: string | undefined): string {
	const rule = (r: string | undefined) => (r ?? 'no action').toLowerCase();
	return `(${from.join(', ')}) -> ${table}(${to.join(', ')}) on delete ${rule(onDelete)} on update ${rule(onUpdate)}`;
}

/** The shape of a schema file's tables, from drizzle's own description of them. */
export function drizzleShape(tables: Table[]): SchemaShape {
	const shape: SchemaShape = {};
	for (const table of tables) {
		const sqlite = is(table, SQLiteTable);
		if (!sqlite && !is(table, PgTable)) throw new Error(`${getTableName(table)} is neither a SQLite nor a PostgreSQL table`);
		const config = sqlite ? sqliteConfig(table) : pgConfig(table as PgTable);
		const columns: Record<string, ColumnShape> = {};
		const indexes: Record<string, string> = {};
		for (const c of config.columns) {
			const mode = (c as { mode?: string }).mode;
			const type = sqlite ? meaning('sqlite', c.columnType + (mode ? `:${mode}` : '')) : meaning('postgres', c.getSQLType());
			const value = c.default === undefined ? null : is(c.default, SQL) ? render(c.default) : typeof c.default === 'string' ? `'${c.default}'` : String(c.default);
			const numbered = sqlite ? (c as { autoIncrement?: boolean }).autoIncrement === true : c.generatedIdentity !== undefined;
			columns[c.name] = { type, notNull: c.notNull, default: defaultSql(value), numbered, ...(c.enumValues ? { values: c.enumValues } : {}) };
			if (c.isUnique) indexes[c.uniqueName ?? `${config.name}_${c.name}_unique`] = indexShape(true, [c.name], null);
		}
		for (const u of config.uniqueConstraints)
			indexes[u.getName() ?? ''] = indexShape(
				true,
				u.columns.map((c) => c.name),
				null
			);
		for (const i of config.indexes) {
			const where = i.config.where ? render(i.config.where) : null;
			indexes[i.config.name ?? '(unnamed)'] = indexShape(
				i.config.unique,
				i.config.columns.map((c) => (is(c, SQL) ? render(c) : (c as { name: string }).name)),
				where
			);
		}
		const primary = config.columns.filter((c) => c.primary).map((c) => c.name);
		shape[config.name] = {
			columns,
			primaryKey: primary.length > 0 ? primary : (config.primaryKeys[0]?.columns.map((c) => c.name) ?? []),
			foreignKeys: config.foreignKeys
				.map((fk) => {
					const r = fk.reference();
					return foreignKey(
						r.columns.map((c) => c.name),
						getTableName(r.foreignTable),
						r.foreignColumns.map((c) => c.name),
						fk.onDelete,
						fk.onUpdate
					);
				})
				.sort(),
			indexes,
			checks: Object.fromEntries(config.checks.map((c) => [c.name, render(c.value)]))
		};
	}
	return shape;
}

/** A drizzle shape as a live catalogue can show it: a SQLite column's type is how it is stored. */
export function asStored(shape: SchemaShape): SchemaShape {
	return Object.fromEntries(
		Object.entries(shape).map(([name, t]) => [
			name,
			{
				...t,
				columns: Object.fromEntries(Object.entries(t.columns).map(([c, { values: _, ...col }]) => [c, { ...col, type: TYPES.find((r) => r.type === col.type)?.storage ?? col.type }])),
				checks: {}
			}
		])
	);
}

/** The tables of a SQLite database with the migrations applied (the migrations' own table aside). */
export function sqliteCatalogue(db: Database.Database): SchemaShape {
	const tables = db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != '__drizzle_migrations'").all() as { name: string; sql: string }[];
	const shape: SchemaShape = {};
	for (const { name, sql } of tables) {
		type Info = { name: string; type: string; notnull: number; dflt_value: string | null; pk: number };
		const info = db.prepare('SELECT * FROM pragma_table_info(?)').all(name) as Info[];
		const columns: Record<string, ColumnShape> = {};
		for (const c of info) {
			// An INTEGER PRIMARY KEY is never null, whatever the declaration says.
			const numbered = c.pk === 1 && new RegExp(`["\`]?${c.name}["\`]?\\s+integer\\s+primary key autoincrement`, 'i').test(sql);
			columns[c.name] = { type: meaning('storage', c.type), notNull: c.notnull === 1 || c.pk > 0, default: defaultSql(c.dflt_value), numbered };
		}
		const indexes: Record<string, string> = {};
		for (const i of db.prepare('SELECT * FROM pragma_index_list(?)').all(name) as { name: string; unique: number; origin: string; partial: number }[]) {
			if (i.origin === 'pk') continue;
			const cols = (db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').all(i.name) as { name: string }[]).map((c) => c.name);
			const create = (db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?").get(i.name) as { sql: string | null } | undefined)?.sql ?? '';
			const where = i.partial === 1 ? (/\bwhere\b([\s\S]*)$/i.exec(create)?.[1] ?? '') : null;
			indexes[i.name] = indexShape(i.unique === 1, cols, where);
		}
		type Fk = { id: number; seq: number; table: string; from: string; to: string; on_update: string; on_delete: string };
		const fks = new Map<number, Fk[]>();
		for (const fk of db.prepare('SELECT * FROM pragma_foreign_key_list(?) ORDER BY id, seq').all(name) as Fk[]) fks.set(fk.id, [...(fks.get(fk.id) ?? []), fk]);
		shape[name] = {
			columns,
			primaryKey: info
				.filter((c) => c.pk > 0)
				.sort((a, b) => a.pk - b.pk)
				.map((c) => c.name),
			foreignKeys: [...fks.values()]
				.map((parts) =>
					foreignKey(
						parts.map((p) => p.from),
						parts[0]!.table,
						parts.map((p) => p.to),
						parts[0]!.on_delete,
						parts[0]!.on_update
					)
				)
				.sort(),
			indexes,
			checks: {}
		};
	}
	return shape;
}

const FK_RULES: Record<string, string> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };

/** The tables of a PostgreSQL database's public schema with the migrations applied, a column's type as SQLite stores the same meaning. */
export async function postgresCatalogue(client: pg.ClientBase): Promise<SchemaShape> {
	const shape: SchemaShape = {};
	const tables = await client.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
	for (const { name } of tables.rows) shape[name] = { columns: {}, primaryKey: [], foreignKeys: [], indexes: {}, checks: {} };
	const columns = await client.query<{ table: string; name: string; type: string; not_null: boolean; dflt: string | null; identity: boolean }>(`
		SELECT c.relname AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
			pg_get_expr(d.adbin, d.adrelid) AS dflt, a.attidentity <> '' AS identity
		FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
		WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped`);
	for (const c of columns.rows) {
		const type = meaning('postgres', c.type);
		shape[c.table]!.columns[c.name] = { type: TYPES.find((r) => r.type === type)?.storage ?? type, notNull: c.not_null, default: defaultSql(c.dflt), numbered: c.identity };
	}
	const constraints = await client.query<{ table: string; kind: string; cols: string[]; ftable: string | null; fcols: string[] | null; del: string; upd: string }>(`
		SELECT c.relname AS table, k.contype AS kind,
			ARRAY(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY u(n, i) JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.i)::text[] AS cols,
			f.relname AS ftable,
			ARRAY(SELECT a.attname FROM unnest(k.confkey) WITH ORDINALITY u(n, i) JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.i)::text[] AS fcols,
			k.confdeltype AS del, k.confupdtype AS upd
		FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_class f ON f.oid = k.confrelid
		WHERE n.nspname = 'public' AND k.contype IN ('p', 'f')`);
	for (const k of constraints.rows) {
		const t = shape[k.table]!;
		if (k.kind === 'p') t.primaryKey = k.cols;
		else t.foreignKeys.push(foreignKey(k.cols, k.ftable!, k.fcols!, FK_RULES[k.del], FK_RULES[k.upd]));
	}
	for (const t of Object.values(shape)) t.foreignKeys.sort();
	// pg_indexes names every index; pg_index says which columns, whether unique, and the condition.
	const indexes = await client.query<{ table: string; name: string; unique: boolean; cols: string[]; pred: string | null }>(`
		SELECT t.relname AS table, i.indexname AS name, x.indisunique AS unique,
			ARRAY(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY u(n, o) JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = u.n ORDER BY u.o)::text[] AS cols,
			pg_get_expr(x.indpred, x.indrelid) AS pred
		FROM pg_indexes i JOIN pg_class ic ON ic.relname = i.indexname JOIN pg_namespace n ON n.oid = ic.relnamespace AND n.nspname = i.schemaname
		JOIN pg_index x ON x.indexrelid = ic.oid JOIN pg_class t ON t.oid = x.indrelid
		WHERE i.schemaname = 'public' AND NOT x.indisprimary`);
	for (const i of indexes.rows) shape[i.table]!.indexes[i.name] = indexShape(i.unique, i.cols, i.pred);
	return shape;
}

/** Where two shapes differ, one line each (`table.column: what`); empty when they agree. */
export function differences(sqlite: SchemaShape, postgres: SchemaShape): string[] {
	const out: string[] = [];
	const keys = (a: object, b: object) => [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
	const say = (where: string, a: unknown, b: unknown) => {
		if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${where}: sqlite ${JSON.stringify(a)}, postgres ${JSON.stringify(b)}`);
	};
	for (const table of keys(sqlite, postgres)) {
		const a = sqlite[table];
		const b = postgres[table];
		if (a === undefined || b === undefined) {
			out.push(`${table}: only on ${a === undefined ? 'postgres' : 'sqlite'}`);
			continue;
		}
		for (const column of keys(a.columns, b.columns)) {
			const x = a.columns[column];
			const y = b.columns[column];
			if (x === undefined || y === undefined) out.push(`${table}.${column}: only on ${x === undefined ? 'postgres' : 'sqlite'}`);
			else for (const field of keys(x, y) as (keyof ColumnShape)[]) say(`${table}.${column} ${field}`, x[field], y[field]);
		}
		say(`${table} primary key`, a.primaryKey, b.primaryKey);
		say(`${table} foreign keys`, a.foreignKeys, b.foreignKeys);
		for (const index of keys(a.indexes, b.indexes)) say(`${table} index ${index}`, a.indexes[index] ?? null, b.indexes[index] ?? null);
		for (const check of keys(a.checks, b.checks)) say(`${table} check ${check}`, a.checks[check] ?? null, b.checks[check] ?? null);
	}
	return out;
}

/** Every table a schema module exports. */
export function tablesOf(schema: Record<string, unknown>): Table[] {
	return Object.values(schema).filter((v): v is Table => is(v, SQLiteTable) || is(v, PgTable));
}
