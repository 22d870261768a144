/**
 * Statements built once per database connection and reused. Building a Drizzle query and having
 * SQLite parse it cost about a quarter of a tablet rating's time when done on every request; a
 * prepared statement does neither again. Keyed weakly, so a test's in-memory database and its
 * statements go together.
 * @example const byId = perDatabase((db: Db) => db.select().from(users).where(eq(users.id, sql.placeholder('id'))).prepare());
 * byId(db).get({ id: 1 });
 */
export function perDatabase<D extends object, T>(build: (db: D) => T): (db: D) => T {
	const cache = new WeakMap<D, T>();
	return (db) => {
		let statements = cache.get(db);
		if (statements === undefined) {
			statements = build(db);
			cache.set(db, statements);
		}
		return statements;
	};
}
