import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from './open';
import { groupCommit, GROUP_COMMIT_MAX } from './group-commit';

const dirs: string[] = [];
afterEach(() => {
	for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A database file with the real migrations and a scratch table, and a second connection that sees only what is committed. */
function files(): { db: Db; other: Database.Database; rows(): number } {
	const dir = mkdtempSync(join(tmpdir(), 'stemme-group-'));
	dirs.push(dir);
	const path = join(dir, 'stemme.db');
	const db = openDatabase(path);
	db.$client.exec('CREATE TABLE scratch (id INTEGER PRIMARY KEY, note TEXT NOT NULL)');
	const other = new Database(path, { readonly: true });
	return { db, other, rows: () => (other.prepare('SELECT count(*) AS n FROM scratch').get() as { n: number }).n };
}

const insert = (db: Db, note: string) => (): number => Number(db.$client.prepare('INSERT INTO scratch (note) VALUES (?)').run(note).lastInsertRowid);

describe('group commit', () => {
	it('commits the writes of one turn together, and answers none before the commit', async () => {
		const { db, other, rows } = files();
		const commit = groupCommit(db);
		const pending = Array.from({ length: 10 }, (_, i) => commit(insert(db, `r${i}`)));
		let answered = 0;
		for (const p of pending) void p.then(() => answered++);
		expect(rows()).toBe(0);
		expect(answered).toBe(0);
		const ids = await Promise.all(pending);
		expect(ids).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
		expect(rows()).toBe(10);
		other.close();
	});

	it('uses one transaction for a turn: a reader sees all of its writes or none', async () => {
		const { db, other, rows } = files();
		const commit = groupCommit(db);
		const seen: number[] = [];
		// Each write looks, from the other connection, at what is committed: nothing of its own turn.
		const pending = Array.from({ length: 5 }, (_, i) =>
			commit(() => {
				seen.push(rows());
				return insert(db, `r${i}`)();
			})
		);
		await Promise.all(pending);
		expect(seen).toEqual([0, 0, 0, 0, 0]);
		expect(rows()).toBe(5);
		other.close();
	});

	it('rolls back only the write that failed; its caller gets the error', async () => {
		const { db, other, rows } = files();
		const commit = groupCommit(db);
		const ok1 = commit(insert(db, 'a'));
		const bad = commit(() => {
			insert(db, 'half-way')();
			throw new Error('invalid');
		});
		const ok2 = commit(insert(db, 'b'));
		await expect(bad).rejects.toThrow('invalid');
		await expect(Promise.all([ok1, ok2])).resolves.toHaveLength(2);
		expect(other.prepare('SELECT note FROM scratch ORDER BY id').all()).toEqual([{ note: 'a' }, { note: 'b' }]);
		expect(rows()).toBe(2);
		other.close();
	});

	it('takes atomic work as it is: a transaction function of its own rolls back its own writes', async () => {
		const { db, other, rows } = files();
		const commit = groupCommit(db);
		const own = db.$client.transaction((note: string, fail: boolean) => {
			insert(db, note)();
			if (fail) throw new Error('invalid');
			return note;
		});
		const ok = commit(() => own('a', false), { atomic: true });
		const bad = commit(() => own('half-way', true), { atomic: true });
		const plain = commit(insert(db, 'b'));
		await expect(bad).rejects.toThrow('invalid');
		await expect(ok).resolves.toBe('a');
		await plain;
		expect(other.prepare('SELECT note FROM scratch ORDER BY id').all()).toEqual([{ note: 'a' }, { note: 'b' }]);
		expect(rows()).toBe(2);
		other.close();
	});

	it('rolls back the whole turn on a storage failure, and every caller gets it', async () => {
		const { db, other, rows } = files();
		const commit = groupCommit(db);
		const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
		const all = [
			commit(insert(db, 'a')),
			commit(() => {
				throw full;
			}),
			commit(insert(db, 'b'))
		];
		for (const p of all) await expect(p).rejects.toBe(full);
		expect(rows()).toBe(0);
		// The next turn commits again.
		await commit(insert(db, 'c'));
		expect(rows()).toBe(1);
		other.close();
	});

	it(`commits at most ${GROUP_COMMIT_MAX} writes at once, and the rest in the next turns`, async () => {
		const { db, other, rows } = files();
		const commit = groupCommit(db);
		const pending = Array.from({ length: GROUP_COMMIT_MAX * 2 + 1 }, (_, i) => commit(insert(db, `r${i}`)));
		await pending[0];
		expect(rows()).toBe(GROUP_COMMIT_MAX);
		await Promise.all(pending);
		expect(rows()).toBe(GROUP_COMMIT_MAX * 2 + 1);
		other.close();
	});
});
