import type { Db } from './db';
import { isDatabaseEmpty, seedDemoClinic, seedDemoFlagWork } from './demo/seed';
import { activeDemoAccounts, demoPassword, hasOrganisation, isLoopbackHost, issueSetupToken, retireLegacyDemoPassword, seedsDemo } from './setup/first-start';
import { sweepFlags } from './risk/flags';
import { refreshStatistics } from './statistics/summaries';
import { fitExpectedModels } from './expected-models';
import type { RiskConfig } from './risk/config';
import type { Config } from './config';
import type { Registry } from '$lib/domain/registry';

/** Thrown when the server must not start on this database; the message says why and what to do. */
export class StartRefused extends Error {}

/**
 * Runs once when the server starts: the database is already migrated by `getDb()`. An empty
 * database gets the demo clinic when STEMME_DEMO=on, or by default on loopback; otherwise the log
 * prints a one-time setup link until the organisation exists. A server listening beyond loopback
 * refuses to start while demo accounts can sign in, unless STEMME_DEMO=on says so on purpose.
 * Prints the demo sign-ins while they exist. Then the expected trajectories are fitted and every
 * open episode is evaluated for drop-out flags (time alone raises some).
 */
export async function prepareDatabase(db: Db, now: Date, setup: { registry: Registry; config: Config }, log: (line: string) => void): Promise<void> {
	const { demoSetting: demo, listening } = setup.config;
	const risk = { registry: setup.registry, config: setup.config.risk };
	const loopback = isLoopbackHost(listening.host);
	await retireLegacyDemoPassword(db);
	if (!loopback && demo !== 'on' && activeDemoAccounts(db).length > 0) {
		throw new StartRefused(
			`Stemme: refusing to start. HOST=${listening.host ?? ''} opens the server to the network, and this database still has demo accounts ` +
				'whose password is printed in the log and shown on the sign-in page. Start a real clinic on a new database with STEMME_DEMO=off, ' +
				'disable the demo accounts, or set STEMME_DEMO=on to serve the demo on the network on purpose.'
		);
	}
	const seeded = seedsDemo(demo, loopback) && isDatabaseEmpty(db);
	if (seeded) {
		await seedDemoClinic(db, now);
		log('Stemme: created the demo clinic (40 patients, two teams).');
	}
	// A fresh demo waits for its flags (the demo's work on them builds on them); otherwise the
	// expected trajectories are fitted and then the first sweep runs, in the background while
	// the server already answers. The sweep waits for the fit, so that it judges progress against
	// the model; pages answered before it lands show the rule checkpoints and say so.
	const started = performance.now();
	const fit = fitExpectedModels(db, risk.registry, now, setup.config.modelMinEpisodes).then(
		(episodes) => log(`Stemme: expected trajectories fitted on ${episodes} closed episodes in ${((performance.now() - started) / 1000).toFixed(1)} s.`),
		(e: unknown) => log(`Stemme: fitting the expected trajectories failed: ${(e as Error).message}`)
	);
	const sweep = fit
		.then(() => sweepFlags(db, risk.registry, risk.config, () => new Date()))
		.then((swept) => log(`Stemme: drop-out flags checked on ${swept.episodes} episodes (${swept.raised} raised, ${swept.resolved} resolved).`))
		.then(() => refreshStatistics(db, risk.registry, () => new Date()))
		.then((stored) => log(`Stemme: statistics worked out for ${stored} episodes.`));
	if (seeded) {
		await sweep;
		seedDemoFlagWork(db, now);
	} else {
		sweep.catch((e: unknown) => log(`Stemme: the drop-out flag sweep failed: ${(e as Error).message}`));
	}
	const present = activeDemoAccounts(db);
	const password = demoPassword(db);
	if (password !== null && present.length > 0) {
		log(`Stemme demo sign-ins (password "${password}"): ${present.map((u) => `${u.username} (${u.role})`).join(', ')}`);
	}
	if (!hasOrganisation(db)) {
		const token = issueSetupToken(db, now);
		const origin = (listening.origin ?? 'http://localhost:3000').replace(/\/+$/, '');
		log(`Stemme: no organisation yet. Open this one-time setup link within 24 hours to create it and the first administrator: ${origin}/setup?token=${token}`);
		log('Stemme: or on this machine: npm run setup -- --org "<organisation>" --admin <user name> (asks for the password)');
	}
}

/** Whether the sign-in page may show the demo password: only to this machine (HOST on loopback). */
export function showsDemoPassword(host: string | undefined): boolean {
	return isLoopbackHost(host);
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
			.then(() => refreshStatistics(db, risk.registry, () => new Date()))
			.catch((e: unknown) => log(`Stemme: the drop-out flag sweep failed: ${(e as Error).message}`))
			.finally(() => (running = false));
	}, risk.config.sweepMinutes * 60_000);
	timer.unref();
	return timer;
}
