// Starting the built server on loopback for scripts and tests: a free port, and waiting until
// /health answers. Shared by the perf scripts and the browser tests' global setup.
import { createServer } from 'node:net';

/** A port nothing listens on right now, on 127.0.0.1. */
export function freePort() {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
		});
	});
}

/**
 * Resolves when `${url}/health` answers 200; rejects after `timeoutMs`, or at once when `child`
 * exits, with `output()` (what the server printed) in the message.
 */
export async function waitForHealth(url, { child = null, output = () => '', timeoutMs = 30_000 } = {}) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child !== null && child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output()}`);
		try {
			if ((await fetch(`${url}/health`)).status === 200) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`server did not become healthy in ${timeoutMs / 1000} s:\n${output()}`);
}
