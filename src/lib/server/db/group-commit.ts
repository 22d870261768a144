import type { Db } from './open';
import { perDatabase } from './prepared';
import { storageFailure } from './storage-failure';

/** Writes in one commit, at the most: bounds how long one commit holds the event loop. */
export const GROUP_COMMIT_MAX = 32;

interface Job {
	work: () => unknown;
	atomic: boolean;
	resolve: (value: unknown) => void;
	reject: (error: unknown) => void;
}

/**
 * Group commit for the tablets' ratings. Each rating is its own small transaction; committing
 * one writes every page it touched to the WAL, and most of a rating's pages (the newest leaf of
 * the ratings table and of each index, the audit trail's) are the same as the next rating's.
 * Writes that arrive in the same turn of the event loop therefore go into one transaction, each
 * in its own savepoint (a nested better-sqlite3 transaction), and are committed once, in the
 * next turn.
 *
 * Nothing is answered before its commit: each caller's promise settles after it. A write that
 * fails is rolled back to its savepoint alone and its caller gets the error; the others commit.
 * A storage failure (disk full, read-only) rolls the whole group back and every caller gets it,
 * so that each answers 503 and its tablet sends the rating again.
 */
export const groupCommit = perDatabase((db: Db) => {
	let queue: Job[] = [];
	let scheduled = false;

	const flush = (): void => {
		scheduled = false;
		const jobs = queue.slice(0, GROUP_COMMIT_MAX);
		queue = queue.slice(GROUP_COMMIT_MAX);
		if (queue.length > 0) schedule();
		const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
		try {
			db.$client.transaction(() => {
				for (const job of jobs) {
					try {
						outcomes.push({ ok: true, value: job.atomic ? job.work() : db.$client.transaction(job.work)() });
					} catch (error) {
						if (storageFailure(error) !== null) throw error;
						outcomes.push({ ok: false, error });
					}
				}
			})();
		} catch (error) {
			for (const job of jobs) job.reject(error);
			return;
		}
		jobs.forEach((job, i) => {
			const outcome = outcomes[i]!;
			if (outcome.ok) job.resolve(outcome.value);
			else job.reject(outcome.error);
		});
	};
	const schedule = (): void => {
		if (scheduled) return;
		scheduled = true;
		setImmediate(flush);
	};

	/**
	 * Runs `work` (synchronous, on this database) in the next group commit; settles after the
	 * commit. `atomic`: the work is all or nothing by itself (it writes only inside a transaction
	 * function of its own, which nests as a savepoint), so it needs no savepoint from here.
	 */
	return <T>(work: () => T, o: { atomic?: boolean } = {}): Promise<T> =>
		new Promise<T>((resolve, reject) => {
			queue.push({ work, atomic: o.atomic === true, resolve: resolve as (value: unknown) => void, reject });
			schedule();
		});
});
