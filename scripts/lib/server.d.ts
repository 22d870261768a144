/** The demo password of a database seeded with the demo clinic (random per database). */
export function demoPasswordOf(databasePath: string): string;
import type { ChildProcess } from 'node:child_process';
export function freePort(): Promise<number>;
export function waitForHealth(url: string, options?: { child?: ChildProcess | null; output?: () => string; timeoutMs?: number; anyAnswer?: boolean }): Promise<void>;
export interface StartedServer {
	url: string;
	port: number;
	child: ChildProcess;
	/** Everything the server printed so far. */
	output(): string;
	/** Sends the signal (SIGTERM by default) and resolves once the process has exited. */
	stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}
export function startServer(options: {
	databasePath: string;
	env?: Record<string, string>;
	nodeOptions?: string[];
	entry?: string;
	timeoutMs?: number;
	uid?: number;
	gid?: number;
	anyAnswer?: boolean;
	/** A port chosen beforehand (a test's identity provider must know the address first). */
	port?: number;
}): Promise<StartedServer>;
