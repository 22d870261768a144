import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { hasChartJs, MANIFEST, routeFiles } from './support/build-graph';

/** The chart library loads only on staff pages. Read from the build itself. */
describe('the chart library', () => {
	it('is loaded by the patient page (so the check below can see it)', async () => {
		expect(existsSync(MANIFEST), 'build first: npm run build').toBe(true);
		expect((await routeFiles('/(clinic)/patients/[id]')).filter(hasChartJs).length).toBeGreaterThan(0);
	});

	it('is never loaded by the tablet pages', async () => {
		for (const route of ['/(tablet)/rate', '/(tablet)/rate/unlock']) {
			expect((await routeFiles(route)).filter(hasChartJs), route).toEqual([]);
		}
	});
});
