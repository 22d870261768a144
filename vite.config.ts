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
			strategy: ['cookie', 'baseLocale']
		}),
		sveltekit()
	],
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
