import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// Form posts are accepted from the same origin only (SvelteKit's default CSRF check);
		// adapter-node learns the origin from ORIGIN, which scripts/start.js sets.
		adapter: adapter({ out: 'build' })
	}
};

export default config;
