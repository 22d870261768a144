import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

/**
 * Issue 4's budget for patient mode, read from the build (`npm run build`, which the browser tests
 * need anyway): the JavaScript the /rate page loads — SvelteKit's client entry and the page's
 * layouts and leaf, with every module they import — is at most 60 KB gzip and has no chart library.
 * The live figures on a throttled tablet come from `npm run perf:tablet`.
 */
const OUTPUT = resolve('.svelte-kit/output');
const CLIENT = join(OUTPUT, 'client');
const BUDGET_GZIP_BYTES = 60 * 1024;
// Strings only Chart.js carries: its per-element property and a plugin hook it calls.
const CHART_JS = ['$chartjs', 'beforeDatasetsDraw'];

interface ServerManifest {
	_: {
		client: { imports: string[] };
		nodes: (() => Promise<{ imports: string[] }>)[];
		routes: { id: string; page: { layouts: (number | undefined)[]; leaf: number } | null }[];
	};
}

async function rateFiles(): Promise<string[]> {
	const { manifest } = (await import(pathToFileURL(join(OUTPUT, 'server', 'manifest.js')).href)) as { manifest: ServerManifest };
	const route = manifest._.routes.find((r) => r.id === '/(tablet)/rate');
	if (route?.page == null) throw new Error('no /(tablet)/rate page in the build');
	const nodes = [...route.page.layouts.filter((n): n is number => n !== undefined), route.page.leaf];
	const listed = [...manifest._.client.imports];
	for (const n of nodes) listed.push(...(await manifest._.nodes[n]!()).imports);
	return closure(listed);
}

/** The files and everything they import statically (dynamic imports load other pages, later). */
function closure(files: string[]): string[] {
	const seen = new Set<string>();
	const queue = [...files];
	while (queue.length > 0) {
		const file = queue.pop()!;
		if (seen.has(file)) continue;
		seen.add(file);
		const source = readFileSync(join(CLIENT, file), 'utf8');
		for (const match of source.matchAll(/(?:\bfrom\s*|\bimport\s*)["'](\.{1,2}\/[^"']+\.js)["']/g)) {
			queue.push(posix.join(posix.dirname(file), match[1]!));
		}
	}
	return [...seen].sort();
}

const hasChartJs = (file: string): boolean => {
	const source = readFileSync(join(CLIENT, file), 'utf8');
	return CHART_JS.some((marker) => source.includes(marker));
};

describe('the patient-mode page’s JavaScript', () => {
	it('is read from a build', () => {
		expect(existsSync(join(OUTPUT, 'server', 'manifest.js')), 'run `npm run build` first').toBe(true);
	});

	it(`is at most ${BUDGET_GZIP_BYTES / 1024} KB gzip, entry and import graph together`, async () => {
		const files = await rateFiles();
		expect(files.length).toBeGreaterThan(3);
		const sizes = files.map((f) => [f, gzipSync(readFileSync(join(CLIENT, f)), { level: 9 }).length] as const);
		const total = sizes.reduce((sum, [, n]) => sum + n, 0);
		expect(total, sizes.map(([f, n]) => `${n} ${f}`).join('\n')).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
	});

	it('carries no chart library (while the staff pages’ build does, so the check can see one)', async () => {
		const files = await rateFiles();
		expect(files.filter(hasChartJs)).toEqual([]);
		const all = readdirSync(join(CLIENT, '_app', 'immutable', 'chunks')).filter((f) => f.endsWith('.js'));
		expect(all.some((f) => hasChartJs(posix.join('_app', 'immutable', 'chunks', f)))).toBe(true);
	});
});
