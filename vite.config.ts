import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { configDefaults, defineConfig } from 'vitest/config';
import type { Plugin } from 'vite';

/**
 * Fewer, larger chunks for the browser: on clinic Wi-Fi every file costs a round trip before the
 * tablet's form answers to touch. Only for the client build: on the server, rollup would merge
 * small shared modules into a route's own +page.server.ts chunk, whose exports SvelteKit checks
 * (it refuses an export such as 'a' there).
 */
function clientChunks(minSize: number): Plugin {
	let ssr = false;
	return {
		name: 'stemme-client-chunks',
		apply: 'build',
		configResolved(config) {
			ssr = Boolean(config.build.ssr);
		},
		outputOptions(options) {
			return ssr ? options : { ...options, experimentalMinChunkSize: minSize };
		}
	};
}

/** The specs that need a PostgreSQL server: one throwaway cluster for the run (or TEST_DATABASE_URL). */
const POSTGRES_SPECS = ['src/lib/server/db/postgres/**/*.spec.ts'];

export default defineConfig({
	plugins: [
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			// The tablet belongs to the patient for a moment: the language is the patient's choice,
			// kept in a cookie, never in the URL (URLs are shared between patients on one tablet).
			// So is the patient's in "look at it together" (custom-together, src/lib/together-locale.ts).
			strategy: ['custom-together', 'cookie', 'baseLocale']
		}),
		sveltekit(),
		// Chunks stay per route, so no page pays for another's.
		clientChunks(4 * 1024)
	],
	test: {
		environment: 'node',
		expect: { requireAssertions: true },
		projects: [
			{ extends: true, test: { name: 'server', include: ['src/**/*.spec.ts', 'scripts/**/*.spec.ts'], exclude: [...configDefaults.exclude, ...POSTGRES_SPECS] } },
			{ extends: true, test: { name: 'postgres', include: POSTGRES_SPECS, globalSetup: ['tests/support/pg-global-setup.ts'], hookTimeout: 60_000 } }
		],
		coverage: {
			provider: 'v8',
			include: ['src/lib/domain/**/*.ts'],
			exclude: ['src/lib/domain/**/*.spec.ts']
		}
	}
});
