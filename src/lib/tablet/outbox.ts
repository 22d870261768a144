/**
 * The tablet's outbox: a rating is written to localStorage before it is sent and removed only
 * when the server has confirmed it, so a dropped connection loses nothing. The server stores a
 * client id once, so sending the same entry twice is harmless.
 */
export interface PendingRating {
	handoffId: string;
	clientId: string;
	appointmentId: number;
	values: Record<string, number>;
}

export type SendResult =
	| { kind: 'saved' }
	| { kind: 'offline' }
	/** Stemme (or something in front of it) answered but could not store: the disk, not the network. */
	| { kind: 'unavailable' }
	| { kind: 'refused'; status: number; reason: string; problems: { key: string; code: string }[] };

const PREFIX = 'stemme:pending:';

/** One entry per appointment, instrument and rater: a second answer to the same form replaces nothing on the server. */
export function outboxKey(appointmentId: number, instrumentId: string, rater: string): string {
	return `${PREFIX}${appointmentId}:${instrumentId}:${rater}`;
}

export function keep(key: string, rating: PendingRating): void {
	localStorage.setItem(key, JSON.stringify(rating));
}

export function pending(key: string): PendingRating | null {
	const raw = localStorage.getItem(key);
	if (raw === null) return null;
	try {
		return JSON.parse(raw) as PendingRating;
	} catch {
		localStorage.removeItem(key);
		return null;
	}
}

export function hasAnyPending(): boolean {
	for (let i = 0; i < localStorage.length; i++) if (localStorage.key(i)?.startsWith(PREFIX)) return true;
	return false;
}

export async function send(key: string, rating: PendingRating): Promise<SendResult> {
	let response: Response;
	try {
		response = await fetch('/rate/submit', {
			method: 'POST',
			headers: { 'content-type': 'application/json', accept: 'application/json' },
			body: JSON.stringify(rating)
		});
	} catch {
		return { kind: 'offline' };
	}
	const body = (await response.json().catch(() => null)) as { ok?: boolean; reason?: string; problems?: { key: string; code: string }[] } | null;
	if (response.ok && body?.ok === true) {
		localStorage.removeItem(key);
		return { kind: 'saved' };
	}
	// A proxy or captive portal answering instead of Stemme: keep the entry and try again later.
	if (body === null || response.status >= 500) return { kind: 'unavailable' };
	// Refused for good (invalid, or this session no longer takes answers): keeping it would retry forever.
	localStorage.removeItem(key);
	return { kind: 'refused', status: response.status, reason: body.reason ?? 'unknown', problems: body.problems ?? [] };
}
