import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// Forms are posted by the same origin only; adapter-node checks ORIGIN (see scripts/start.js).
		csrf: { checkOrigin: true }
	}
};

export default config;
