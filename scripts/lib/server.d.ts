import type { ChildProcess } from 'node:child_process';
export function freePort(): Promise<number>;
export function waitForHealth(url: string, options?: { child?: ChildProcess | null; output?: () => string; timeoutMs?: number }): Promise<void>;
