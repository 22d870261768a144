import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Starts the built server and collects what it prints until it exits or `ms` pass. */
function start(env: Record<string, string>, ms: number): Promise<{ code: number | null; output: string }> {
	const dir = mkdtempSync(join(tmpdir(), 'stemme-start-'));
	return new Promise((resolve) => {
		const child = spawn(process.execPath, ['build/index.js'], {
			env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: join(dir, 'stemme.db'), STEMME_DEMO: 'off', ...env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let output = '';
		child.stdout.on('data', (d) => (output += d));
		child.stderr.on('data', (d) => (output += d));
		const timer = setTimeout(() => child.kill('SIGTERM'), ms);
		child.on('exit', (code) => {
			clearTimeout(timer);
			rmSync(dir, { recursive: true, force: true });
			resolve({ code, output });
		});
	});
}

describe('instrument packs at start', () => {
	it('refuses to start on a broken pack, naming the file and the field, and loads nothing', async () => {
		const { code, output } = await start({ STEMME_INSTRUMENT_PACKS: 'tests/fixtures/packs/broken' }, 15_000);
		expect(code).not.toBe(0);
		expect(output).toContain('Instrument packs refused; nothing was loaded');
		expect(output).toMatch(/b-bad-fields\.json/);
		expect(output).toMatch(/c-not-json\.json/);
		expect(output).toContain('items[2].label.nb is missing');
		expect(output).not.toContain('Listening on');
	});

	it('starts with a good licensed pack', async () => {
		const { output } = await start({ STEMME_INSTRUMENT_PACKS: 'tests/fixtures/packs/sample-licensed' }, 4_000);
		expect(output).toContain('Listening on');
		expect(output).not.toContain('refused');
	});
});
