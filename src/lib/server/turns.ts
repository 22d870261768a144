/**
 * Staff pages before tablet ratings, when both are waiting.
 *
 * Stemme answers everything on one event loop, in the order requests arrive. When tablets send
 * ratings as fast as they are answered, a staff page waits behind every rating that arrived
 * before it (measured with `npm run load`: 200 tablets without pause, 50 clinicians loading a
 * page every 5 s each — staff pages p50 547 ms, p99 882 ms, the tablets' own latency).
 *
 * A person is waiting for a staff page; a tablet is not — it has said "sent" already, keeps the
 * answers and retries. So while staff requests are coming in, a rating waits here before any of
 * its work (session, validation, storing) and ratings go on a few at a time, one batch per turn
 * of the event loop, with staff requests answered in between. Nothing is dropped or refused and
 * the rating throughput stays the same (the work is the same, in another order). When no staff
 * request has come in for a while, ratings go at once, as before.
 */

/** Rating work per turn of the event loop while staff requests are coming in, at the most. */
export const RATING_MS_PER_TURN = 10;
/** A staff request this recent means staff are waiting, or about to. */
export const STAFF_RECENT_MS = 1000;

export interface Turns {
	/** A staff (or any other non-rating) request has come in. */
	staffRequest(): void;
	/** Resolves when this rating may go on; null when it may go on at once. Call ratingDone after. */
	ratingTurn(): Promise<void> | null;
	/** The rating let through last has been answered (or failed). */
	ratingDone(): void;
	/** Ratings waiting now. */
	waiting(): number;
}

/**
 * While staff are active, ratings go one after another until the turn's budget is used, then
 * wait for the next turn, so that a staff request waits for at most about one budget of rating
 * work. `clock` in milliseconds.
 */
export function createTurns(budgetMs = RATING_MS_PER_TURN, recentMs = STAFF_RECENT_MS, clock: () => number = () => performance.now()): Turns {
	const queue: Array<() => void> = [];
	let scheduled = false;
	let turnStarted = 0;
	let running = 0;
	let lastStaff = Number.NEGATIVE_INFINITY;

	const staffRecently = (): boolean => clock() - lastStaff <= recentMs;
	const schedule = (): void => {
		if (scheduled) return;
		scheduled = true;
		setImmediate(() => {
			scheduled = false;
			turnStarted = clock();
			next();
		});
	};
	/** Lets ratings on: all of them when no staff are about, else one at a time within the budget. */
	const next = (): void => {
		if (!staffRecently()) {
			for (const go of queue.splice(0)) {
				running++;
				go();
			}
			return;
		}
		if (running > 0 || queue.length === 0) return;
		if (clock() - turnStarted >= budgetMs) return schedule();
		running++;
		queue.shift()!();
	};

	return {
		staffRequest() {
			lastStaff = clock();
		},
		ratingTurn() {
			if (queue.length === 0 && !staffRecently()) {
				running++;
				return null;
			}
			return new Promise<void>((go) => {
				queue.push(go);
				if (running === 0) schedule();
			});
		},
		ratingDone() {
			running--;
			if (queue.length > 0) next();
		},
		waiting: () => queue.length
	};
}

/** The server's one queue. */
export const turns = createTurns();
