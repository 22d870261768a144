// `npm run backup [destination]`: an online backup of the database with SQLite's backup API,
// safe while the server runs (WAL). Default destination: backup/stemme-<timestamp>.db
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

const source = (process.env.DATABASE_URL ?? 'data/stemme.db').replace(/^file:/, '');
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const destination = process.argv[2] ?? `backup/stemme-${stamp}.db`;
mkdirSync(dirname(destination), { recursive: true });

const db = new Database(source, { readonly: true, fileMustExist: true });
const started = performance.now();
await db.backup(destination);
db.close();

const check = new Database(destination, { readonly: true });
const integrity = check.pragma('integrity_check', { simple: true });
check.close();
console.log(`Backed up ${source} to ${destination} in ${Math.round(performance.now() - started)} ms; integrity_check: ${integrity}`);
if (integrity !== 'ok') process.exit(1);
