import type { Answers } from './answers';

/**
 * Marks not yet sent, kept in the tablet's session storage so a reload or a pull-to-refresh
 * mid-form does not wipe them. Never sent to the server: removed once the answers are sent (the
 * outbox then holds them) or the tablet is given back. Session storage ends with the browser tab.
 */
const PREFIX = 'stemme:draft:';

/** One draft per form and turn: `form` is the outbox key, `turn` the handoff and appointment. */
export function draftKey(form: string, turn: string): string {
	return `${PREFIX}${form}:${turn}`;
}

/** The marks kept for these lines, only values a line can hold (0–10); untouched lines stay null. */
export function readDraft(key: string, items: readonly { key: string }[]): Answers | null {
	let kept: unknown;
	try {
		kept = JSON.parse(sessionStorage.getItem(key) ?? 'null');
	} catch {
		return null;
	}
	if (kept === null || typeof kept !== 'object') return null;
	const values = kept as Record<string, unknown>;
	const mark = (v: unknown): number | null => (typeof v === 'number' && v >= 0 && v <= 10 ? v : null);
	return Object.fromEntries(items.map((item) => [item.key, mark(values[item.key])]));
}

export function keepDraft(key: string, answers: Readonly<Answers>): void {
	sessionStorage.setItem(key, JSON.stringify(answers));
}

export function dropDraft(key: string): void {
	sessionStorage.removeItem(key);
}

/** The tablet is given back: no marks of any patient stay behind. */
export function dropAllDrafts(): void {
	const keys = Array.from({ length: sessionStorage.length }, (_, i) => sessionStorage.key(i)).filter((k): k is string => k !== null && k.startsWith(PREFIX));
	for (const key of keys) sessionStorage.removeItem(key);
}
