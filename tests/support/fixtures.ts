import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const FIXTURES = join('tests', 'fixtures', 'db');

/**
 * The database made by the version before the newest migration (`npm run fixture:migrations`):
 * the newest fixture file, so tests need no change when the fixture is renewed.
 */
export function previousVersionDatabase(): string {
	const newest = readdirSync(FIXTURES)
		.filter((f) => /^stemme-.*\.db$/.test(f))
		.sort()
		.at(-1);
	if (newest === undefined) throw new Error(`no fixture database in ${FIXTURES}`);
	return join(FIXTURES, newest);
}
