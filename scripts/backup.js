// `npm run backup [destination]`: an online backup of the database with SQLite's backup API,
// safe while the server runs (WAL). Default destination: backup/stemme-<timestamp>.db
import Database from 'better-sqlite3';
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

// A backup holds every health record the database does: only this user may read it. The umask
// covers whatever SQLite creates besides; the file itself is made 0600 before SQLite writes it.
process.umask(0o077);

const source = (process.env.DATABASE_URL ?? 'data/stemme.db').replace(/^file:/, '');
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const destination = process.argv[2] ?? `backup/stemme-${stamp}.db`;
mkdirSync(dirname(destination), { recursive: true, mode: 0o700 });
closeSync(openSync(destination, 'w', 0o600));
chmodSync(destination, 0o600);

const db = new Database(source, { readonly: true, fileMustExist: true });
const started = performance.now();
// All pages in one step, from one snapshot: copied a hundred pages at a time (the default), the
// backup starts over whenever the running server writes, and under steady load it may never end.
await db.backup(destination, { progress: () => 0x7fffffff });
db.close();

const check = new Database(destination, { readonly: true });
const integrity = check.pragma('integrity_check', { simple: true });
check.close();
console.log(`Backed up ${source} to ${destination} in ${Math.round(performance.now() - started)} ms; integrity_check: ${integrity}`);
if (integrity !== 'ok') process.exit(1);
