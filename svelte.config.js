import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// Form posts are accepted from the same origin only (SvelteKit's default CSRF check);
		// adapter-node learns the origin from ORIGIN, which scripts/start.js sets.
		adapter: adapter({ out: 'build' }),
		// Stylesheets go inside the HTML: on clinic Wi-Fi each extra request costs a round trip
		// before the patient sees the form (issue 4: first render under 1 s on Fast 3G).
		inlineStyleThreshold: 16 * 1024
	}
};

export default config;
