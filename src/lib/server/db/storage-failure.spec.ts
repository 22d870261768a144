import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { storageFailure } from './storage-failure';

describe('storageFailure', () => {
	it('names a write refused by a read-only connection', () => {
		const db = new Database(':memory:');
		db.exec('CREATE TABLE t (x)');
		db.pragma('query_only = ON');
		expect(storageFailure(catching(() => db.prepare('INSERT INTO t VALUES (1)').run()))).toBe('SQLITE_READONLY');
	});

	it('names a full database', () => {
		const db = new Database(':memory:');
		db.exec('CREATE TABLE t (x)');
		// Page count as it is now: the next page the table needs is refused.
		db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true })}`);
		const insert = db.prepare('INSERT INTO t VALUES (?)');
		expect(storageFailure(catching(() => Array.from({ length: 1000 }, () => insert.run('x'.repeat(1000)))))).toBe('SQLITE_FULL');
	});

	it('leaves other errors alone: a constraint, a syntax error, not an error at all', () => {
		const db = new Database(':memory:');
		db.exec('CREATE TABLE t (x UNIQUE)');
		db.prepare('INSERT INTO t VALUES (1)').run();
		expect(storageFailure(catching(() => db.prepare('INSERT INTO t VALUES (1)').run()))).toBeNull();
		expect(storageFailure(catching(() => db.prepare('SELEC 1')))).toBeNull();
		expect(storageFailure('SQLITE_FULL')).toBeNull();
		expect(storageFailure(new Error('disk full'))).toBeNull();
	});
});

function catching(run: () => unknown): unknown {
	try {
		run();
	} catch (error) {
		return error;
	}
	return null;
}
