// `npm run perf:trajectory`: how fast the patient page is for a long course (the README's budget for the patient's course).
// Starts the built server on loopback with a throwaway demo database, adds a patient with 60
// attended sessions (outcome and alliance every session), then measures
//   - the server's answer for the patient page (time to the whole HTML, median of 30), and
//   - when the chart is drawn, from Chromium's own performance marks (median of 10 loads).
// Budget: server render under 50 ms; chart drawn under 300 ms after the load event.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { demoPasswordOf, freePort, waitForHealth } from './lib/server.js';
import { addLongCourse } from './lib/long-course.js';

const SESSIONS = 60;
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (!existsSync('build/index.js')) {
	console.error('build/ is missing: run `npm run build` first.');
	process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'stemme-perf-'));
const dbPath = join(dir, 'stemme.db');
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', ORIGIN: base, DATABASE_URL: dbPath, STEMME_DEMO: 'on' };
let server = spawn(process.execPath, ['build/index.js'], { env, stdio: process.env.SHOW ? 'inherit' : 'ignore' });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ARGS });
// Set once measured; a run that throws exits non-zero before it.
let failed;
try {
	const up = () => waitForHealth(base);
	await up();
	// The demo clinic exists now; add the long course with the server stopped, then start again.
	server.kill('SIGTERM');
	await new Promise((r) => server.once('exit', r));
	const patientId = addLongCourse(dbPath, { sessions: SESSIONS });
	server = spawn(process.execPath, ['build/index.js'], { env, stdio: process.env.SHOW ? 'inherit' : 'ignore' });
	await up();

	const context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
	const page = await context.newPage();
	await page.goto('/login');
	await page.getByLabel('Brukernavn').fill('kari');
	await page.getByLabel('Passord').fill(demoPasswordOf(dbPath));
	await page.getByRole('button', { name: 'Logg inn' }).click();
	await page.waitForURL(/\/today$/);

	const server_ms = [];
	for (let i = 0; i < 30; i++) {
		const t = performance.now();
		const res = await page.request.get(`/patients/${patientId}`);
		await res.text();
		if (i >= 5) server_ms.push(performance.now() - t); // the first few warm the caches
	}

	const drawn = [];
	const afterLoad = [];
	for (let i = 0; i < 10; i++) {
		await page.goto(`/patients/${patientId}`, { waitUntil: 'load' });
		await page.locator('canvas[data-panel="alliance"][data-drawn]').waitFor({ state: 'attached' });
		const t = await page.evaluate(() => {
			const marks = performance.getEntriesByName('trajectory-drawn');
			const nav = performance.getEntriesByType('navigation')[0];
			const last = marks[marks.length - 1].startTime;
			return { drawn: last, afterLoad: last - nav.loadEventStart };
		});
		drawn.push(t.drawn);
		afterLoad.push(t.afterLoad);
	}
	const sm = median(server_ms);
	const al = Math.max(0, median(afterLoad));
	console.log(`Patient page with ${SESSIONS} sessions, Chromium on loopback, this machine\n`);
	console.log(`server render (whole HTML, median of 25)   ${sm.toFixed(1)} ms   budget 50 ms   ${sm < 50 ? 'ok' : 'OVER'}`);
	console.log(`chart drawn after navigation start          ${median(drawn).toFixed(0)} ms`);
	console.log(`chart drawn after the load event            ${al.toFixed(0)} ms   budget 300 ms  ${al < 300 ? 'ok' : 'OVER'}`);
	failed = sm >= 50 || al >= 300;
} finally {
	await browser.close();
	server.kill('SIGTERM');
	rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
