import type { Db } from './db';
import { demoClinicians, DEMO_PASSWORD, isDatabaseEmpty, seedDemoClinic } from './demo/seed';
import { users } from './db/schema';
import { inArray } from 'drizzle-orm';

/**
 * Runs once when the server starts: the database is already migrated by `getDb()`; an empty
 * database gets the demo clinic unless STEMME_DEMO=off. Prints the demo sign-ins while they exist.
 */
export async function prepareDatabase(db: Db, now: Date, demo: boolean, log: (line: string) => void): Promise<void> {
	if (demo && isDatabaseEmpty(db)) {
		await seedDemoClinic(db, now);
		log('Stemme: created the demo clinic (40 patients, two teams).');
	}
	const names = demoClinicians.map((c) => c.username);
	const present = db.select({ username: users.username, role: users.role }).from(users).where(inArray(users.username, names)).all();
	if (demo && present.length > 0) {
		log(`Stemme demo sign-ins (password "${DEMO_PASSWORD}"): ${present.map((u) => `${u.username} (${u.role})`).join(', ')}`);
	}
}
