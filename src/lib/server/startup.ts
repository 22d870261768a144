import type { Db } from './db';
import { demoClinicians, DEMO_PASSWORD, isDatabaseEmpty, seedDemoClinic, seedDemoFlagWork } from './demo/seed';
import { users } from './db/schema';
import { inArray } from 'drizzle-orm';
import { sweepFlags } from './risk/flags';
import { fitExpectedModels } from './expected-models';
import type { RiskConfig } from './risk/config';
import type { Registry } from '$lib/domain/registry';

/**
 * Runs once when the server starts: the database is already migrated by `getDb()`; an empty
 * database gets the demo clinic unless STEMME_DEMO=off. Prints the demo sign-ins while they exist.
 * Then the expected trajectories are fitted and every open episode is evaluated for drop-out
 * flags (time alone raises some).
 */
export async function prepareDatabase(
	db: Db,
	now: Date,
	demo: boolean,
	log: (line: string) => void,
	risk: { registry: Registry; config: RiskConfig }
): Promise<void> {
	const seeded = demo && isDatabaseEmpty(db);
	if (seeded) {
		await seedDemoClinic(db, now);
		log('Stemme: created the demo clinic (40 patients, two teams).');
	}
	// A fresh demo waits for its flags (the demo's work on them builds on them); otherwise the
	// expected trajectories are fitted and then the first sweep runs, in the background while
	// the server already answers. The sweep waits for the fit, so that it judges progress against
	// the model; pages answered before it lands show the rule checkpoints and say so.
	const started = performance.now();
	const fit = fitExpectedModels(db, risk.registry, new Date()).then(
		(episodes) => log(`Stemme: expected trajectories fitted on ${episodes} closed episodes in ${((performance.now() - started) / 1000).toFixed(1)} s.`),
		(e: unknown) => log(`Stemme: fitting the expected trajectories failed: ${(e as Error).message}`)
	);
	const sweep = fit
		.then(() => sweepFlags(db, risk.registry, risk.config, () => new Date()))
		.then((swept) => log(`Stemme: drop-out flags checked on ${swept.episodes} episodes (${swept.raised} raised, ${swept.resolved} resolved).`));
	if (seeded) {
		await sweep;
		seedDemoFlagWork(db, now);
	} else {
		sweep.catch((e: unknown) => log(`Stemme: the drop-out flag sweep failed: ${(e as Error).message}`));
	}
	const names = demoClinicians.map((c) => c.username);
	const present = db.select({ username: users.username, role: users.role }).from(users).where(inArray(users.username, names)).all();
	if (demo && present.length > 0) {
		log(`Stemme demo sign-ins (password "${DEMO_PASSWORD}"): ${present.map((u) => `${u.username} (${u.role})`).join(', ')}`);
	}
}

/**
 * Evaluates every open episode again every `minutes` (a long gap or a transition coming near is
 * raised by time alone). The timer does not keep the process alive; a failed sweep is logged and
 * the next one tries again.
 */
export function scheduleFlagSweeps(db: Db, risk: { registry: Registry; config: RiskConfig }, log: (line: string) => void): NodeJS.Timeout {
	let running = false;
	const timer = setInterval(() => {
		if (running) return;
		running = true;
		sweepFlags(db, risk.registry, risk.config, () => new Date())
			.catch((e: unknown) => log(`Stemme: the drop-out flag sweep failed: ${(e as Error).message}`))
			.finally(() => (running = false));
	}, risk.config.sweepMinutes * 60_000);
	timer.unref();
	return timer;
}
