import { describe, expect, it } from 'vitest';
import { createTurns } from './turns';

const immediate = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A rating that takes `cost` ms of the fake clock once let through, and records its order. */
function rating(t: ReturnType<typeof createTurns>, clock: { now: number }, order: string[], name: string, cost = 1): Promise<void> {
	const turn = t.ratingTurn();
	const work = (): void => {
		clock.now += cost;
		order.push(name);
		t.ratingDone();
	};
	if (turn === null) {
		work();
		return Promise.resolve();
	}
	return turn.then(work);
}

describe('turns: staff pages before tablet ratings', () => {
	it('lets ratings go at once while no staff request has come in', () => {
		const clock = { now: 0 };
		const t = createTurns(10, 1000, () => clock.now);
		expect(t.ratingTurn()).toBeNull();
		t.ratingDone();
		expect(t.waiting()).toBe(0);
	});

	it('holds ratings while staff are active and lets them on within the budget of each turn', async () => {
		const clock = { now: 0 };
		const t = createTurns(10, 1000, () => clock.now);
		const order: string[] = [];
		t.staffRequest();
		const ratings = Array.from({ length: 25 }, (_, i) => rating(t, clock, order, `r${i}`, 4));
		expect(order).toEqual([]);
		expect(t.waiting()).toBe(25);
		// A staff page answered in this turn goes before every rating that arrived with it.
		order.push('staff');
		await immediate();
		await Promise.resolve();
		// One turn: 4 ms each within a 10 ms budget — three ratings, then the next turn.
		expect(order.filter((o) => o.startsWith('r')).length).toBe(3);
		expect(order[0]).toBe('staff');
		await Promise.all(ratings);
		expect(order.filter((o) => o.startsWith('r'))).toEqual(Array.from({ length: 25 }, (_, i) => `r${i}`));
		expect(t.waiting()).toBe(0);
	});

	it('lets every waiting rating go once staff have been quiet for the given time', async () => {
		const clock = { now: 0 };
		const t = createTurns(10, 1000, () => clock.now);
		const order: string[] = [];
		t.staffRequest();
		const ratings = Array.from({ length: 10 }, (_, i) => rating(t, clock, order, `r${i}`, 0));
		clock.now = 2000;
		await immediate();
		await Promise.resolve();
		expect(order).toHaveLength(10);
		await Promise.all(ratings);
		expect(t.ratingTurn()).toBeNull();
	});

	it('never loses a rating that failed: the next one still goes', async () => {
		const clock = { now: 0 };
		const t = createTurns(10, 1000, () => clock.now);
		t.staffRequest();
		const first = t.ratingTurn()!;
		const second = t.ratingTurn()!;
		let secondWent = false;
		void second.then(() => {
			secondWent = true;
			t.ratingDone();
		});
		await first;
		t.ratingDone(); // as the hook's finally does after a thrown error
		await immediate();
		await Promise.resolve();
		expect(secondWent).toBe(true);
		expect(t.waiting()).toBe(0);
	});
});
