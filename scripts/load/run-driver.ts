// Runs the load generator (driver.ts) as a second process and reads back what it measured.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import type { DriverResult, LoadPlan } from './plan';

export interface RunningDriver {
	/** Resolves with the driver's results once it has finished (or been stopped). */
	done: Promise<DriverResult>;
	/** Asks the driver to stop now; it still writes what it measured. */
	stop(): void;
}

/** Writes `plan` to `${dir}/plan.json` and starts the driver on it; results land in `${dir}/result.json`. */
export function startDriver(plan: LoadPlan, dir: string): RunningDriver {
	const planFile = `${dir}/plan.json`;
	const resultFile = `${dir}/result.json`;
	writeFileSync(planFile, JSON.stringify(plan));
	const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/load/driver.ts', planFile, resultFile], { stdio: ['ignore', 'inherit', 'pipe'] });
	let errors = '';
	child.stderr.on('data', (d) => (errors += d));
	const done = new Promise<DriverResult>((resolve, reject) => {
		child.once('exit', (code) => {
			if (code !== 0) return reject(new Error(`the load generator exited with ${code}:\n${errors}`));
			try {
				resolve(JSON.parse(readFileSync(resultFile, 'utf8')) as DriverResult);
			} catch (e) {
				reject(new Error(`the load generator's results cannot be read: ${(e as Error).message}`));
			}
		});
	});
	return { done, stop: () => void child.kill('SIGTERM') };
}
