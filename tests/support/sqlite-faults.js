// Loaded into the built server by the fault tests only (`node --import`), never by the app:
// SIGUSR2 turns every open better-sqlite3 connection read-only (PRAGMA query_only), and the next
// SIGUSR2 back. Writes then fail with SQLITE_READONLY, as they do when the database file or its
// disk turns read-only under a running server, which the tests cannot do to an open file (the
// kernel refuses a read-only remount while files are open for writing, and root ignores modes).
import { createRequire } from 'node:module';

// The same module instance the server imports: node_modules/better-sqlite3, resolved from here.
const Database = createRequire(import.meta.url)('better-sqlite3');
const connections = new Set();
const pragma = Database.prototype.pragma;
// openDatabase sets its pragmas right after opening: that is where each connection is seen.
/** @param {...unknown} args */
Database.prototype.pragma = function (...args) {
	connections.add(this);
	return pragma.apply(this, args);
};
let readOnly = false;
process.on('SIGUSR2', () => {
	readOnly = !readOnly;
	for (const db of connections) if (db.open) pragma.call(db, `query_only = ${readOnly ? 'ON' : 'OFF'}`);
	console.log(`sqlite-faults: read-only ${readOnly ? 'on' : 'off'}`);
});
