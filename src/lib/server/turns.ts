/**
 * Staff pages before tablet ratings, when both are waiting.
 *
 * Stemme answers everything on one event loop, in the order requests arrive. When tablets send
 * ratings as fast as they are answered, a staff page waits behind every rating that arrived
 * before it (measured with `npm run load`: 200 tablets without pause, 50 clinicians loading a
 * page every 5 s each — staff pages p50 547 ms, p99 882 ms, the tablets' own latency).
 *
 * A person is waiting for a staff page; a tablet is not — it keeps the answers and sends them
 * again if it must. So while staff requests are coming in, a rating waits here before any of its
 * work (session, validation, storing), and ratings go on a batch at a time, one batch per turn of
 * the event loop, with staff requests answered in between. Nothing is dropped or refused. When
 * no staff request has come in for a while, ratings go at once.
 */

/** Ratings let through per turn of the event loop while staff requests are coming in. */
export const RATINGS_PER_TURN = 16;
/** A staff request this recent means staff are waiting, or about to. */
export const STAFF_RECENT_MS = 1000;

export interface Turns {
	/** A staff (or any other non-rating) request has come in. */
	staffRequest(): void;
	/** Resolves when this rating may go on; null when it may go on at once. */
	ratingTurn(): Promise<void> | null;
	/** Ratings waiting now. */
	waiting(): number;
}

/**
 * While staff are active, ratings wait and go on `perTurn` at a time, one batch per turn of the
 * event loop (they are then committed together: see db/group-commit.ts), so that a staff request
 * waits for at most one batch. `clock` in milliseconds.
 */
export function createTurns(perTurn = RATINGS_PER_TURN, recentMs = STAFF_RECENT_MS, clock: () => number = () => performance.now()): Turns {
	const queue: Array<() => void> = [];
	let scheduled = false;
	let lastStaff = Number.NEGATIVE_INFINITY;

	const staffRecently = (): boolean => clock() - lastStaff <= recentMs;
	const schedule = (): void => {
		if (scheduled) return;
		scheduled = true;
		setImmediate(release);
	};
	const release = (): void => {
		scheduled = false;
		for (const go of queue.splice(0, staffRecently() ? perTurn : queue.length)) go();
		if (queue.length > 0) schedule();
	};

	return {
		staffRequest() {
			lastStaff = clock();
		},
		ratingTurn() {
			if (queue.length === 0 && !staffRecently()) return null;
			return new Promise<void>((go) => {
				queue.push(go);
				schedule();
			});
		},
		waiting: () => queue.length
	};
}

/** The server's one queue. */
export const turns = createTurns();
