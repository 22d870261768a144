import nodeAdapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * adapter-node, with one addition: its static files (the app's scripts and styles, static/) are
 * served by sirv before any SvelteKit hook runs, so they went out without the nosniff header the
 * hooks give every page. The built server (index.js, what `npm start` and the tests run) gets a
 * first middleware that sets it on every response; the build fails if adapter-node's server no
 * longer has the line this relies on.
 * @param {import('@sveltejs/adapter-node').AdapterOptions & { out: string }} options
 * @returns {import('@sveltejs/kit').Adapter}
 */
function adapter(options) {
	const base = nodeAdapter(options);
	return {
		...base,
		async adapt(builder) {
			await base.adapt(builder);
			const index = join(options.out, 'index.js');
			const source = readFileSync(index, 'utf8');
			const use = '.use(handler)';
			if (source.split(use).length !== 2) throw new Error(`svelte.config.js: ${index} no longer has one "${use}"; the nosniff middleware cannot be added`);
			writeFileSync(index, source.replace(use, ".use((req, res, next) => { res.setHeader('x-content-type-options', 'nosniff'); next(); }, handler)"));
		}
	};
}

/**
 * The one style attribute the app renders is SvelteKit's own: the route announcer its generated
 * root component adds after the first client-side navigation (.svelte-kit/generated/root.svelte).
 * The policy allows exactly that attribute by its hash ('unsafe-hashes' covers attributes only);
 * src/hooks/csp.spec.ts fails if SvelteKit's text changes.
 */
export const ANNOUNCER_STYLE = 'position: absolute; left: 0; top: 0; clip: rect(0 0 0 0); clip-path: inset(50%); overflow: hidden; white-space: nowrap; width: 1px; height: 1px';
const announcerHash = /** @type {`sha256-${string}`} */ (`sha256-${createHash('sha256').update(ANNOUNCER_STYLE).digest('base64')}`);

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
		// bootstrap allowed by a per-response nonce — no 'unsafe-inline' for scripts, and none for
		// styles either: the inlined stylesheets carry the nonce, and no component renders a style
		// attribute (colours are SVG fills, positions are set through the style object, which the
		// policy allows) but SvelteKit's announcer, allowed by its hash. Charts are drawn on canvas and printed as data:
		// images. The page may not be framed by anyone (clickjacking on a patient tablet).
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self'],
				'style-src-attr': ['unsafe-hashes', announcerHash],
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
