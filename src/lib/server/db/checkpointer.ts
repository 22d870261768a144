import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Db } from './open';

/** How often the checkpointer looks at the WAL, in ms. */
export const CHECKPOINT_INTERVAL_MS = 200;
/**
 * WAL pages at which the app's own connection checkpoints anyway (SQLite's automatic checkpoint):
 * the backstop should the checkpointer stop or fall behind. 10,000 pages of 4 KiB are 40 MB.
 */
export const BACKSTOP_PAGES = 10_000;
/** SQLite's own default, restored when the checkpointer stops. */
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;

/** What a checkpoint reported: WAL frames, frames copied into the database, and whether it was busy. */
export interface CheckpointReport {
	log: number;
	checkpointed: number;
	busy: number;
}

/**
 * Runs in the worker thread, given as source (the server is bundled; a worker file would not be).
 * Dynamic imports only: the worker reads it as CommonJS or as a module, as its process was told.
 * A PASSIVE checkpoint never waits for, nor blocks, the app's readers and writers.
 */
const WORKER_SOURCE = `
(async () => {
const { parentPort, workerData } = await import('node:worker_threads');
const Database = (await import(workerData.driver)).default;
const db = new Database(workerData.path, { fileMustExist: true });
let last = '';
let lastError = '';
let timer = null;
let stopped = false;
const later = () => {
	if (!stopped) timer = setTimeout(tick, workerData.intervalMs);
};
const tick = () => {
	try {
		const [r] = db.pragma('wal_checkpoint(PASSIVE)');
		lastError = '';
		const key = r.log + '/' + r.checkpointed;
		const changed = r.log > 0 && key !== last;
		last = key;
		// The app's connection finishes the checkpoint, then says 'next': no overlap with it.
		if (changed) return parentPort.postMessage({ kind: 'checkpointed', report: r });
	} catch (e) {
		const message = String((e && e.message) || e);
		if (message !== lastError) parentPort.postMessage({ kind: 'error', code: (e && e.code) || null, message });
		lastError = message;
	}
	later();
};
parentPort.on('message', (m) => {
	if (m === 'next') return later();
	if (m !== 'stop') return;
	stopped = true;
	clearTimeout(timer);
	db.close();
	parentPort.close();
});
later();
})();
`;

export interface Checkpointer {
	/** Ends the worker (its connection closed); the app's connection checkpoints itself again. */
	stop(): Promise<void>;
}

/**
 * Checkpoints the WAL of the database at `path` in a worker thread, so that the app's event loop
 * no longer does it. With SQLite's automatic checkpoint, the commit that took the WAL past 1,000
 * pages copied them into the database file and waited for two fsyncs, all on the event loop:
 * under the tablets' load that was every ~200 ratings and half of a rating's time in SQLite.
 *
 * The worker copies what the WAL holds (a PASSIVE checkpoint, with its own connection) and waits.
 * The app's connection then copies the few frames committed meanwhile, which lets its next write
 * start the WAL from the beginning, so the file stays small (without that step, under steady
 * writes the WAL would grow until the backstop), and tells the worker to go on after the interval. Should the worker stop, the app's connection checkpoints as
 * SQLite does by default. Durability is SQLite's either way: a checkpoint only moves committed
 * pages from the WAL into the database file, and one cut short is done again.
 */
export function startCheckpointer(
	db: Db,
	path: string,
	o: { intervalMs?: number; log?: (line: string) => void; onCheckpoint?: (worker: CheckpointReport, app: CheckpointReport) => void } = {}
): Checkpointer {
	const client = db.$client;
	const log = o.log ?? ((line: string) => console.error(line));
	client.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
	const driver = pathToFileURL(createRequire(import.meta.url).resolve('better-sqlite3')).href;
	const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, path: resolve(path), intervalMs: o.intervalMs ?? CHECKPOINT_INTERVAL_MS } });
	let stopped = false;
	const fallBack = (): void => {
		if (client.open) client.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
	};
	worker.on('message', (m: { kind: 'checkpointed'; report: CheckpointReport } | { kind: 'error'; code: string | null; message: string }) => {
		if (m.kind === 'error') {
			log(`Stemme: checkpointing the database in the background failed (${m.code ?? 'error'}: ${m.message}); it is tried again`);
			return;
		}
		if (!client.open) return;
		try {
			const [app] = client.pragma('wal_checkpoint(PASSIVE)') as CheckpointReport[];
			o.onCheckpoint?.(m.report, app!);
		} catch (e) {
			log(`Stemme: checkpointing the database failed: ${(e as Error).message}`);
		}
		if (!stopped) worker.postMessage('next');
	});
	worker.on('error', (e) => {
		log(`Stemme: the background checkpointer stopped (${e.message}); the app's connection checkpoints the database itself again`);
		fallBack();
	});
	const exited = new Promise<void>((done) => worker.once('exit', () => done()));
	// Checkpoints never keep a process alive. After the listeners: adding one refs the worker again.
	worker.unref();
	return {
		stop: async () => {
			if (!stopped) {
				stopped = true;
				worker.postMessage('stop');
			}
			await exited;
			fallBack();
		}
	};
}
