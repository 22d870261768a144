import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

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
		fileParallelism: false
	}
});
