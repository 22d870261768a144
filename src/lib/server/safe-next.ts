/** Where to go after signing in: only a path on this site, never another host. */
export function safeNext(next: string | null, fallback = '/patients'): string {
	if (next === null || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
	return next;
}
