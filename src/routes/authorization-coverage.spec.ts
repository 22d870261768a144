import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { handlers, serverModules } from '../../tests/support/route-handlers';

/**
 * Every protected load and action must call a guard itself — a guard in a layout does not
 * protect an action, and layouts do not run for every request. This walks the route files and
 * fails where a server module forgets. A route that is public on purpose says so in a
 * `// Public:` comment and is listed here.
 */
const PUBLIC = new Set(['login/+page.server.ts', 'setup/+page.server.ts', 'locale/+page.server.ts', 'health/+server.ts', 'fhir/metadata/+server.ts']);
const GUARD = /\brequire(User|Role|Session|Patient|Together|Appointment|Handoff|Statistics|StatisticsExport|SecondFactorDue|SignedIn|RatingLink|ApiClient|SsoConfigured)\(/;
const ROUTES = 'src/routes';

const modules = serverModules(ROUTES).map((path) => relative(ROUTES, path).replaceAll('\\', '/'));

describe('authorization coverage', () => {
	it('finds the route modules', () => {
		expect(modules.length).toBeGreaterThan(4);
	});

	it.each(modules)('%s guards every load, action and handler', (file) => {
		const source = readFileSync(join(ROUTES, file), 'utf8');
		if (PUBLIC.has(file)) {
			expect(source, `${file} is public and says why`).toMatch(/\/\/ Public:/);
			return;
		}
		const list = handlers(file, source);
		expect(list.length, `${file} exports no load or action`).toBeGreaterThan(0);
		const unguarded = list.filter((h) => !GUARD.test(h.body)).map((h) => h.name);
		expect(unguarded, `${file}: without a guard`).toEqual([]);
	});

	it('catches an unguarded load, inline action or mapped action', () => {
		const source = [
			'export const load = async (event) => { requireUser(event); };',
			'async function hand(event) { return 1; }',
			'const fine = async (event) => { requireRole(event, "admin"); };',
			'const noted = async (event) => { /* requireUser(event) */ return 3; };',
			'export const actions = { hand, fine, noted, other: async (event) => {\n// requireUser(event) is not called\nreturn 2; } } satisfies Actions;'
		].join('\n');
		const list = handlers('x.ts', source);
		expect(list.map((h) => h.name)).toEqual(['load', 'hand', 'fine', 'noted', 'other']);
		// A guard named only in a comment does not count.
		expect(list.filter((h) => !GUARD.test(h.body)).map((h) => h.name)).toEqual(['hand', 'noted', 'other']);
	});

	it('every public route is still there (the list does not rot)', () => {
		for (const file of PUBLIC) expect(modules).toContain(file);
	});
});
