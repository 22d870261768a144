import { readFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * What a page of the build loads: SvelteKit's client entry and the page's layouts and leaf (from
 * the server manifest), with every module they import statically (dynamic imports load other
 * pages, later). Read by the bundle and chart-library tests; `npm run build` first.
 */
export const OUTPUT = resolve('.svelte-kit/output');
export const CLIENT = join(OUTPUT, 'client');
export const MANIFEST = join(OUTPUT, 'server', 'manifest.js');
// Strings only Chart.js carries: its per-element property and a plugin hook it calls.
const CHART_JS = ['$chartjs', 'beforeDatasetsDraw'];

interface ServerManifest {
	_: {
		client: { imports: string[] };
		nodes: (() => Promise<{ imports: string[] }>)[];
		routes: { id: string; page: { layouts: (number | undefined)[]; leaf: number } | null }[];
	};
}

/** The client files a route's page loads, e.g. `routeFiles('/(tablet)/rate')`. */
export async function routeFiles(routeId: string): Promise<string[]> {
	const { manifest } = (await import(pathToFileURL(MANIFEST).href)) as { manifest: ServerManifest };
	const route = manifest._.routes.find((r) => r.id === routeId);
	if (route?.page == null) throw new Error(`no ${routeId} page in the build`);
	const nodes = [...route.page.layouts.filter((n): n is number => n !== undefined), route.page.leaf];
	const listed = [...manifest._.client.imports];
	for (const n of nodes) listed.push(...(await manifest._.nodes[n]!()).imports);
	return closure(listed);
}

/** The files and everything they import statically. */
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

/** Whether a client file of the build holds Chart.js. */
export function hasChartJs(file: string): boolean {
	const source = readFileSync(join(CLIENT, file), 'utf8');
	return CHART_JS.some((marker) => source.includes(marker));
}
