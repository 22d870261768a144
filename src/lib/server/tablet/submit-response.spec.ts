import { describe, expect, it } from 'vitest';
import { jsonBody, submitResponse } from './submit-response';

/** A value nested `depth` arrays deep, as text (building it as an object would be the test's own overflow). */
function deepJson(depth: number): string {
	return '['.repeat(depth) + ']'.repeat(depth);
}

describe('submitResponse', () => {
	it('answers a refusal of a 40,000-deep value with 400 and does not echo it', async () => {
		const read = await jsonBody(new Request('http://x/', { method: 'POST', body: `{"daily":${deepJson(40_000)}}` }));
		expect(read).not.toBeNull();
		const value = (read!.body as { daily: unknown }).daily;
		const response = submitResponse({ ok: false, reason: 'invalid_values', problems: [{ key: 'daily', code: 'not-a-number', value }] });
		expect(response.status).toBe(400);
		expect(await response.json()).toEqual({ ok: false, reason: 'invalid_values', problems: [{ key: 'daily', code: 'not-a-number' }] });
	});

	it('names the item and the problem, never the value sent', async () => {
		const response = submitResponse({
			ok: false,
			reason: 'invalid_values',
			problems: [
				{ key: 'self', code: 'out-of-range', value: 11 },
				{ key: 'close', code: 'not-a-number', value: '<script>alert(1)</script>' },
				{ key: 'overall', code: 'missing' }
			]
		});
		const text = await response.text();
		expect(text).not.toContain('script');
		expect(text).not.toContain('11');
		expect(JSON.parse(text).problems).toEqual([
			{ key: 'self', code: 'out-of-range' },
			{ key: 'close', code: 'not-a-number' },
			{ key: 'overall', code: 'missing' }
		]);
	});
});
