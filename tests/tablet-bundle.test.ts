import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CLIENT, hasChartJs, MANIFEST, routeFiles } from './support/build-graph';

/**
 * The budget for patient mode, read from the build (`npm run build`, which the browser tests
 * need anyway): the JavaScript the /rate page loads — SvelteKit's client entry and the page's
 * layouts and leaf, with every module they import — is at most 60 KB gzip and has no chart library.
 * The live figures on a throttled tablet come from `npm run perf:tablet`.
 */
const BUDGET_GZIP_BYTES = 60 * 1024;
const rateFiles = () => routeFiles('/(tablet)/rate');

describe('the patient-mode page’s JavaScript', () => {
	it('is read from a build', () => {
		expect(existsSync(MANIFEST), 'run `npm run build` first').toBe(true);
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
