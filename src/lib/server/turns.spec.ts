import { describe, expect, it } from 'vitest';
import { createTurns } from './turns';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('turns: staff pages before tablet ratings', () => {
	it('lets ratings go at once while no staff request has come in', () => {
		const clock = { now: 0 };
		const t = createTurns(4, 1000, () => clock.now);
		expect(t.ratingTurn()).toBeNull();
		expect(t.waiting()).toBe(0);
	});

	it('holds ratings while staff are active and lets them on a batch per turn, in order', async () => {
		const clock = { now: 0 };
		const t = createTurns(4, 1000, () => clock.now);
		const order: string[] = [];
		t.staffRequest();
		const ratings = Array.from({ length: 10 }, (_, i) => t.ratingTurn()!.then(() => order.push(`r${i}`)));
		// A staff page answered in this turn goes before every rating that arrived with it.
		order.push('staff');
		expect(t.waiting()).toBe(10);
		await nextTurn();
		expect(order).toEqual(['staff', 'r0', 'r1', 'r2', 'r3']);
		await nextTurn();
		expect(order).toHaveLength(9);
		await Promise.all(ratings);
		expect(order.slice(1)).toEqual(Array.from({ length: 10 }, (_, i) => `r${i}`));
		expect(t.waiting()).toBe(0);
	});

	it('keeps a rating behind those already waiting, even once staff are quiet', async () => {
		const clock = { now: 0 };
		const t = createTurns(4, 1000, () => clock.now);
		t.staffRequest();
		const first = t.ratingTurn();
		clock.now = 5000;
		expect(t.ratingTurn()).not.toBeNull();
		expect(first).not.toBeNull();
	});

	it('lets every waiting rating go once staff have been quiet for the given time', async () => {
		const clock = { now: 0 };
		const t = createTurns(4, 1000, () => clock.now);
		t.staffRequest();
		let went = 0;
		const ratings = Array.from({ length: 10 }, () => t.ratingTurn()!.then(() => went++));
		clock.now = 2000;
		await nextTurn();
		expect(went).toBe(10);
		await Promise.all(ratings);
		expect(t.ratingTurn()).toBeNull();
	});
});
