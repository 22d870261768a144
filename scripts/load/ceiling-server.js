// `node scripts/load/ceiling-server.js`: the built server (build/index.js, same settings from the
// environment) with one route more, POST /load-ceiling, for `npm run load` only. The route is the
// stack's ceiling: what SvelteKit, Node and SQLite manage when a request does nothing but one
// prepared INSERT into a scratch table of its own, never Stemme's data. It is not in the app's
// source or its build: it is added to the built app's route list before the server starts, so a
// request to it goes through SvelteKit's routing and the app's hooks as a rating does, and the
// two differ by what Stemme does, not by the way in.
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';

const build = new URL('../../build/', import.meta.url);

/**
 * The built app's manifest, the one the server will use (ES modules are loaded once). adapter-node
 * bundles it into a chunk with a hashed name, which its handler imports; its `_.routes` is the
 * list SvelteKit matches every request against.
 * @returns {{ _: { routes: unknown[] } }}
 */
async function builtManifest() {
	const handler = readFileSync(new URL('handler.js', build), 'utf8');
	const chunk = /["'](\.\/server\/chunks\/manifest[^"']*\.js)["']/.exec(handler)?.[1];
	if (chunk === undefined) throw new Error('build/handler.js imports no manifest chunk: has adapter-node changed its output?');
	const module = await import(new URL(chunk, build).href);
	const manifest = Object.values(module).find((value) => Array.isArray(value?._?.routes));
	if (manifest === undefined) throw new Error(`${chunk} exports no manifest with routes: has SvelteKit changed its manifest?`);
	return manifest;
}

/** @type {Database.Statement | null} */
let insert = null;

/** The scratch table, in the app's database file, opened as the app opens it (src/lib/server/db/open.ts). */
function ceilingInsert() {
	if (insert !== null) return insert;
	const db = new Database(process.env.DATABASE_URL ?? 'data/stemme.db', { fileMustExist: true });
	db.pragma('journal_mode = WAL');
	db.pragma('busy_timeout = 5000');
	db.pragma('synchronous = NORMAL');
	// The app's background checkpointer copies the WAL for every connection; its own connection
	// checkpoints only past this many pages (BACKSTOP_PAGES in src/lib/server/db/checkpointer.ts).
	db.pragma('wal_autocheckpoint = 10000');
	db.exec('CREATE TABLE IF NOT EXISTS load_ceiling (id INTEGER PRIMARY KEY, client_id TEXT NOT NULL, body TEXT NOT NULL)');
	insert = db.prepare('INSERT INTO load_ceiling (client_id, body) VALUES (?, ?)');
	return insert;
}

/** Public, as before: reads no cookie, touches no patient data. @param {{ request: Request }} event */
async function POST({ request }) {
	const body = await request.text();
	// Parsed like a rating submission, so the two differ by what Stemme does, not by the JSON.
	let clientId;
	try {
		clientId = JSON.parse(body).clientId;
	} catch {
		clientId = null;
	}
	const headers = { 'content-type': 'application/json' };
	if (typeof clientId !== 'string') return new Response(JSON.stringify({ ok: false }), { status: 400, headers });
	ceilingInsert().run(clientId, body);
	return new Response(JSON.stringify({ ok: true }), { status: 201, headers });
}

const manifest = await builtManifest();
manifest._.routes.unshift({ id: '/load-ceiling', pattern: /^\/load-ceiling\/?$/, params: [], page: null, endpoint: async () => ({ POST }) });
await import(new URL('index.js', build).href);
