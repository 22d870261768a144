import type { ServerInit } from '@sveltejs/kit';
import { databaseState, getDb, whenWritableAgain, type Db } from '$lib/server/db';
import { getConfig } from '$lib/server/config';
import { prepareDatabase, scheduleFlagSweeps, StartRefused } from '$lib/server/startup';
import { fitExpectedModels, scheduleModelFits } from '$lib/server/expected-models';
import { getRegistry } from '$lib/server/instruments';
import { storageFailure } from '$lib/server/db/storage-failure';
import { scheduleMessaging } from '$lib/server/links/outbox';
import { configuredSenders } from '$lib/server/links/senders';

/**
 * The server's start. The configuration is read and checked here, once (a bad value stops the
 * server with a message naming the variable), and so are the instrument packs.
 */
export const init: ServerInit = async () => {
	const config = getConfig();
	const registry = getRegistry();
	const risk = { registry, config: config.risk };
	const log = (line: string) => console.log(line);
	// A database that cannot be written does not stop the server (getDb says why, once): it
	// answers 503 where it must write, and /health tells whoever runs it.
	const start = async (db: Db): Promise<void> => {
		await prepareDatabase(db, new Date(), { registry, config }, log);
		scheduleFlagSweeps(db, risk, log);
		scheduleModelFits(db, registry, config.modelMinEpisodes, log);
		scheduleMessaging(db, registry, config, configuredSenders(config.messaging), log);
	};
	// Once it can be written again (getDb tries), the start's work is done then.
	const later = (db: Db): void => void start(db).catch((e: unknown) => log(`Stemme: preparing the database failed: ${(e as Error).message}`));
	let db: Db;
	try {
		db = getDb();
	} catch (e) {
		if (storageFailure(e) === null) throw e;
		whenWritableAgain(later);
		return;
	}
	if (databaseState()?.kind === 'read-only') {
		fitExpectedModels(db, registry, new Date(), config.modelMinEpisodes).catch((e: unknown) => log(`Stemme: fitting the expected trajectories failed: ${(e as Error).message}`));
		whenWritableAgain(later);
		return;
	}
	try {
		await start(db);
	} catch (e) {
		// Demo accounts on a server opened to the network: one clear line and no server.
		if (!(e instanceof StartRefused)) throw e;
		console.error(e.message);
		process.exit(1);
	}
};
