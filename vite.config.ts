import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { defineConfig } from 'vitest/config';

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
		sveltekit()
	],
	build: {
		rollupOptions: {
			// Fewer, larger chunks: on clinic Wi-Fi every file costs a round trip before the
			// tablet's form answers to touch. Chunks stay per route, so no page pays for another's.
			output: { experimentalMinChunkSize: 8 * 1024 }
		}
	},
	test: {
		include: ['src/**/*.spec.ts', 'scripts/**/*.spec.ts'],
		environment: 'node',
		expect: { requireAssertions: true },
		coverage: {
			provider: 'v8',
			include: ['src/lib/domain/**/*.ts'],
			exclude: ['src/lib/domain/**/*.spec.ts']
		}
	}
});
