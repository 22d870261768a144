import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/lib/server/db/open';

describe('npm run backup', () => {
	it('writes the backup 0600 in a folder it creates 0700, whatever the umask', () => {
		const dir = mkdtempSync(join(tmpdir(), 'stemme-backup-'));
		try {
			const source = join(dir, 'stemme.db');
			const db = openDatabase(source);
			db.$client.prepare("insert into organisations (name) values ('Klinikk')").run();
			const destination = join(dir, 'backups', 'nightly', 'stemme.db');
			// A umask of 022 made the backups world-readable (0644) before.
			execFileSync('sh', ['-c', `umask 022 && exec "${process.execPath}" scripts/backup.js "${destination}"`], { env: { ...process.env, DATABASE_URL: source }, stdio: 'pipe' });
			db.$client.close();
			expect((statSync(destination).mode & 0o777).toString(8)).toBe('600');
			expect((statSync(join(dir, 'backups')).mode & 0o777).toString(8)).toBe('700');
			expect((statSync(join(dir, 'backups', 'nightly')).mode & 0o777).toString(8)).toBe('700');
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
