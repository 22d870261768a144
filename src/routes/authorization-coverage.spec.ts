import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Every protected load and action must call a guard itself — a guard in a layout does not
 * protect an action, and layouts do not run for every request. This walks the route files and
 * fails where a server module forgets. A route that is public on purpose says so in a
 * `// Public:` comment and is listed here.
 */
const PUBLIC = new Set(['login/+page.server.ts', 'locale/+page.server.ts', 'health/+server.ts']);
const GUARD = /\brequire(User|Role|Patient)\(/;
const ROUTES = 'src/routes';

function serverModules(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return serverModules(path);
		return /^\+(page|layout)\.server\.ts$|^\+server\.ts$/.test(name) ? [path] : [];
	});
}

/** Names of exported loads, actions and request handlers, each with the source of its body. */
function handlers(source: string): { name: string; body: string }[] {
	const found: { name: string; body: string }[] = [];
	const starts = [...source.matchAll(/export const (load|GET|POST|PUT|PATCH|DELETE)\b|^\t(\w+): (?:async )?(?:\([^)]*\)|\w+) =>/gm)];
	starts.forEach((match, i) => {
		const name = match[1] ?? match[2] ?? '?';
		const end = starts[i + 1]?.index ?? source.length;
		found.push({ name, body: source.slice(match.index, end) });
	});
	return found;
}

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
		const list = handlers(source);
		expect(list.length, `${file} exports no load or action`).toBeGreaterThan(0);
		const unguarded = list.filter((h) => !GUARD.test(h.body)).map((h) => h.name);
		expect(unguarded, `${file}: without a guard`).toEqual([]);
	});

	it('every public route is still there (the list does not rot)', () => {
		for (const file of PUBLIC) expect(modules).toContain(file);
	});
});
