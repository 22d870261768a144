import { describe, expect, expectTypeOf, it } from 'vitest';
import { getTableName, sql, type InferInsertModel, type InferSelectModel, type Table } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import * as sqlite from './schema';
import * as postgres from './postgres/schema';
import { differences, drizzleShape, tablesOf } from '../../../../tests/support/schema-shape';

/**
 * The two schema files describe one database: the same tables, columns, meanings (as each engine
 * spells them: the mapping table in tests/support/schema-shape.ts), nullability, defaults, keys
 * and indexes. Read from drizzle's own description of each table. The migrations applied to
 * live databases are compared in postgres/migrations.spec.ts.
 */
const sqliteTables = tablesOf(sqlite);
const postgresTables = tablesOf(postgres);

describe('the SQLite and the PostgreSQL schema', () => {
	it('agree table by table, column by column, key by key and index by index', () => {
		expect(differences(drizzleShape(sqliteTables), drizzleShape(postgresTables))).toEqual([]);
	});

	it('have every table there is to compare', () => {
		const shape = drizzleShape(postgresTables);
		expect(sqliteTables.length).toBeGreaterThanOrEqual(41);
		expect(postgresTables).toHaveLength(sqliteTables.length);
		// What the comparison reads, on a few that would be easy to get wrong.
		expect(shape.flags!.indexes.flags_one_open).toBe('unique (episode_id, key) where resolved_at is null');
		expect(shape.users!.indexes.users_username_unique).toBe('unique (username)');
		expect(shape.team_memberships!.primaryKey).toEqual(['user_id', 'team_id']);
		expect(shape.tablet_handoffs!.foreignKeys).toContain('(session_id) -> sessions(id) on delete set null on update no action');
		expect(shape.organisations!.columns.created_at).toEqual({ type: 'timestamp', notNull: true, default: 'now', numbered: false });
		expect(shape.organisations!.columns.id).toMatchObject({ type: 'integer', numbered: true });
	});

	it('give the same row types to the code, table by table', () => {
		type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
		// A row as read, and as written with every column given. (An insert may leave out fewer
		// columns on PostgreSQL: SQLite numbers an INTEGER PRIMARY KEY itself, so drizzle lets
		// demo_credentials, user_totp and episode_statistics leave their key out there; the code
		// always gives it.)
		type Rows<S> = { [K in keyof S as S[K] extends Table ? K : never]: S[K] extends Table ? [InferSelectModel<S[K]>, Required<InferInsertModel<S[K]>>] : never };
		type SqliteRows = Rows<typeof sqlite>;
		type PostgresRows = Rows<typeof postgres>;
		type Tables = keyof SqliteRows | keyof PostgresRows;
		type Differing = { [K in Tables]: K extends keyof SqliteRows & keyof PostgresRows ? (Same<SqliteRows[K], PostgresRows[K]> extends true ? never : K) : K }[Tables];
		expectTypeOf<Differing>().toBeNever();
		expect(Object.keys(postgres).filter((k) => !(k in sqlite))).toEqual([]);
	});
});

/** The PostgreSQL tables with some replaced by drifted copies (or added). */
function withDrift(...drifted: Table[]) {
	const names = new Set(drifted.map(getTableName));
	return drizzleShape([...postgresTables.filter((t) => !names.has(getTableName(t))), ...drifted]);
}

const ms = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

describe('a drifted PostgreSQL table is caught', () => {
	const sqliteShape = drizzleShape(sqliteTables);

	it('a column of another type, or nullable where SQLite says not null', () => {
		const drifted = pgTable('episode_statistics', {
			episodeId: integer('episode_id')
				.primaryKey()
				.references(() => postgres.episodes.id, { onDelete: 'cascade' }),
			facts: text('facts').notNull(),
			computedAt: ms('computed_at')
		});
		expect(differences(sqliteShape, withDrift(drifted))).toEqual([
			'episode_statistics.computed_at notNull: sqlite true, postgres false',
			'episode_statistics.facts type: sqlite "json", postgres "text"'
		]);
	});

	it('a foreign key without its delete rule, a column missing', () => {
		const drifted = pgTable('episode_statistics', {
			episodeId: integer('episode_id')
				.primaryKey()
				.references(() => postgres.episodes.id),
			facts: jsonb('facts').notNull()
		});
		expect(differences(sqliteShape, withDrift(drifted))).toEqual([
			'episode_statistics.computed_at: only on sqlite',
			'episode_statistics foreign keys: sqlite ["(episode_id) -> episodes(id) on delete cascade on update no action"], postgres ["(episode_id) -> episodes(id) on delete no action on update no action"]'
		]);
	});

	it('an index missing, renamed, on other columns, not unique, or without its condition; a default changed', () => {
		const drifted = pgTable(
			'outreach_tasks',
			{
				id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
				episodeId: integer('episode_id')
					.notNull()
					.references(() => postgres.episodes.id),
				reason: text('reason', { enum: sqlite.outreachReasons }).notNull().default('dropout'),
				ownerId: integer('owner_id')
					.notNull()
					.references(() => postgres.users.id),
				openedById: integer('opened_by_id').references(() => postgres.users.id),
				openedAt: ms('opened_at').notNull(),
				outcome: text('outcome', { enum: sqlite.outreachOutcomes }),
				resultEpisodeId: integer('result_episode_id').references(() => postgres.episodes.id),
				closedById: integer('closed_by_id').references(() => postgres.users.id),
				closedAt: ms('closed_at')
			},
			(t) => [
				index('outreach_tasks_by_episode').on(t.episodeId),
				index('outreach_tasks_open').on(t.ownerId, t.closedAt),
				uniqueIndex('outreach_tasks_one_open')
					.on(t.episodeId)
					.where(sql`${t.outcome} is null`)
			]
		);
		expect(differences(sqliteShape, withDrift(drifted))).toEqual([
			'outreach_tasks.reason default: sqlite null, postgres "\'dropout\'"',
			'outreach_tasks index outreach_tasks_by_episode: sqlite null, postgres "(episode_id)"',
			'outreach_tasks index outreach_tasks_episode: sqlite "(episode_id)", postgres null',
			'outreach_tasks index outreach_tasks_one_open: sqlite "unique (episode_id) where closed_at is null", postgres "unique (episode_id) where outcome is null"',
			'outreach_tasks index outreach_tasks_open: sqlite "(closed_at, owner_id)", postgres "(owner_id, closed_at)"'
		]);
	});

	it('a table only one schema has', () => {
		const extra = pgTable('model_versions', { id: integer('id').primaryKey() });
		expect(differences(sqliteShape, withDrift(extra))).toEqual(['model_versions: only on postgres']);
		expect(differences(sqliteShape, drizzleShape(postgresTables.filter((t) => t !== postgres.ratingLinks)))).toEqual(['rating_links: only on sqlite']);
	});
});
