import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files share one server and one demo database, and some leave it changed (a PIN set, a flag
 * seen, a patient moved): they run in this order, the one they were written against, on every
 * machine (vitest's own order depends on its cache of earlier runs). A file not listed runs
 * after these, by name.
 */
const ORDER = [
	'bad-input',
	'faults',
	'access',
	'tablet',
	'risk',
	'admin',
	'tablet-endpoint',
	'startup',
	'first-start',
	'trajectory',
	'meetings',
	'security/findings',
	'tablet-kept',
	'trajectory-band',
	'together',
	'sign-in',
	'security/request-context',
	'flag-session',
	'tablet-bundle',
	'chart-library',
	'statistics',
	'two-factor',
	'sso',
	'account-two-factor',
	'phone-link',
	'follow-up',
	'fhir',
	'tablet-round',
	'pages',
	'access-log',
	'log-control',
	'admin-identity',
	'two-factor-throttle',
	'patients'
].map((name) => `/tests/${name}.test.ts`);

class FixedOrder extends BaseSequencer {
	override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
		const rank = (f: TestSpecification) => {
			const i = ORDER.findIndex((end) => f.moduleId.endsWith(end));
			return i === -1 ? ORDER.length : i;
		};
		return [...files].sort((a, b) => rank(a) - rank(b) || a.moduleId.localeCompare(b.moduleId));
	}
}

// Browser tests: real Chromium (Debian's, at /usr/bin/chromium) against the built app,
// started once on a free port with a fresh database (global-setup.ts).
export default defineConfig({
	// The fault tests build their databases with the app's own server modules.
	resolve: { alias: { $lib: fileURLToPath(new URL('../src/lib', import.meta.url)) } },
	test: {
		include: ['tests/**/*.test.ts'],
		environment: 'node',
		globalSetup: ['tests/support/global-setup.ts'],
		expect: { requireAssertions: true },
		testTimeout: 30_000,
		hookTimeout: 60_000,
		// One server, one database: files run one after another so sign-in throttling and
		// audit counts are not shared between tests running at the same time.
		fileParallelism: false,
		sequence: { sequencer: FixedOrder }
	}
});
