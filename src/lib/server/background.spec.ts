import { describe, expect, it } from 'vitest';
import { pauseAfterSlice } from './background';

describe('pauseAfterSlice', () => {
	it('waits about as long as the slice took, by a timer', async () => {
		const sliceStartedAt = performance.now() - 30;
		const before = performance.now();
		await pauseAfterSlice(sliceStartedAt);
		expect(performance.now() - before).toBeGreaterThanOrEqual(29);
	});

	it('lets the event loop turn many times meanwhile (a setImmediate pause would let it turn once)', async () => {
		let turns = 0;
		let stop = false;
		const spin = (): void => {
			turns++;
			if (!stop) setImmediate(spin);
		};
		setImmediate(spin);
		await pauseAfterSlice(performance.now() - 20);
		stop = true;
		expect(turns).toBeGreaterThan(5);
	});

	it('still yields for a slice that took no time', async () => {
		let turned = false;
		setImmediate(() => (turned = true));
		await pauseAfterSlice(performance.now());
		expect(turned).toBe(true);
	});
});
