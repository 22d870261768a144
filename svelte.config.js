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
		inlineStyleThreshold: 16 * 1024,
		// Content Security Policy (issue 8): scripts only from this origin, SvelteKit's own inline
		// bootstrap allowed by a per-response nonce — no 'unsafe-inline' for scripts. Styles keep
		// 'unsafe-inline' because Svelte renders style attributes (and the inlined stylesheets)
		// into the HTML; a style cannot run code. Charts are drawn on canvas and printed as data:
		// images. The page may not be framed by anyone (clickjacking on a patient tablet).
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
