import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import config, { ANNOUNCER_STYLE } from '../../svelte.config.js';

describe('the Content Security Policy for styles', () => {
	it('allows no inline style but SvelteKit’s announcer, whose style text is still the one hashed', () => {
		const directives = config.kit?.csp?.directives ?? {};
		expect(directives['style-src']).toEqual(['self']);
		expect(directives['style-src-attr']?.[0]).toBe('unsafe-hashes');
		// The generated root component (svelte-kit sync writes it before the tests run).
		const root = readFileSync('.svelte-kit/generated/root.svelte', 'utf8');
		const styles = [...root.matchAll(/style="([^"]*)"/g)].map((match) => match[1]);
		expect(styles).toEqual([ANNOUNCER_STYLE]);
	});
});
