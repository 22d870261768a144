import { defineConfig } from 'vitest/config';

// Browser tests: real Chromium (Debian's, at /usr/bin/chromium) against the built app,
// started once on a free port with a fresh database (global-setup.ts).
export default defineConfig({
	test: {
		include: ['tests/**/*.test.ts'],
		environment: 'node',
		globalSetup: ['tests/support/global-setup.ts'],
		expect: { requireAssertions: true },
		testTimeout: 30_000,
		hookTimeout: 60_000,
		// One server, one database: files run one after another so sign-in throttling and
		// audit counts are not shared between tests running at the same time.
		fileParallelism: false
	}
});
