import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Issue 5: the chart library loads only on staff pages. Read from the build itself: the files a
 * page loads are the app's entry, and the client imports of its layouts and page (SvelteKit's
 * server nodes list them), followed through every import they make. Chart.js is recognised by a
 * message of its own that survives minifying.
 */
const CLIENT = join('build', 'client');
const NODES = join('.svelte-kit', 'output', 'server', 'nodes');
const CHART_JS = 'Canvas is already in use. Chart with ID';

/** Every server node of the build: which layout or page it is, and the client files it imports. */
function nodes(): { component: string; imports: string[] }[] {
	return readdirSync(NODES).map((file) => {
		const text = readFileSync(join(NODES, file), 'utf8');
		const component = /pages\/([^'"]+)\.svelte\.js/.exec(text)?.[1] ?? '';
		const imports = JSON.parse(/export const imports = (\[[^\]]*\])/.exec(text)?.[1] ?? '[]') as string[];
		return { component, imports };
	});
}

/** The files reachable from `start` through static imports (and dynamic ones, when asked). */
function reachable(start: string[], dynamic: boolean): Set<string> {
	const seen = new Set<string>();
	const todo = [...start];
	while (todo.length > 0) {
		const file = todo.pop()!;
		if (seen.has(file)) continue;
		seen.add(file);
		const text = readFileSync(join(CLIENT, file), 'utf8');
		const pattern = dynamic ? /(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+\.js)["']/g : /(?:from|import)\s*["'](\.{1,2}\/[^"']+\.js)["']/g;
		for (const match of text.matchAll(pattern)) todo.push(join(file, '..', match[1]!));
	}
	return seen;
}

/** What a page of these layouts loads: the entry's static imports (its dynamic ones are every page), then the nodes' own. */
function loadedBy(components: string[]): Set<string> {
	const entry = readdirSync(join(CLIENT, '_app', 'immutable', 'entry')).map((f) => join('_app', 'immutable', 'entry', f));
	const own = nodes()
		.filter((n) => components.includes(n.component))
		.flatMap((n) => n.imports);
	expect(own.length, `the build has nodes for ${components.join(', ')}`).toBeGreaterThan(0);
	return new Set([...reachable(entry, false), ...reachable(own, true)]);
}

const withChartJs = (files: Set<string>) => [...files].filter((f) => readFileSync(join(CLIENT, f), 'utf8').includes(CHART_JS));

describe('the chart library', () => {
	it('is loaded by the patient page (so the check below can see it)', () => {
		expect(existsSync(NODES), 'build first: npm run build').toBe(true);
		expect(withChartJs(loadedBy(['_layout', '(clinic)/_layout', '(clinic)/patients/_id_/_page'])).length).toBeGreaterThan(0);
	});

	it('is never loaded by the tablet pages', () => {
		for (const page of ['(tablet)/rate/_page', '(tablet)/rate/unlock/_page']) {
			expect(withChartJs(loadedBy(['_layout', '(tablet)/_layout', page])), page).toEqual([]);
		}
	});
});
