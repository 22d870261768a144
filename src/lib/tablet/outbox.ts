/**
 * The tablet's outbox: a rating is written to localStorage before it is sent and removed only
 * when the server has stored it. The server stores a client id once, so sending the same entry
 * twice — from the rating page, or later from the staff pages — is harmless.
 *
 * Nothing is thrown away. An answer the server refuses for a reason no resend can change
 * (invalid values, a closed episode, already rated) is moved to a list of refused answers that
 * the staff pages show with the reason, until a clinician has seen it and removes it.
 */
export interface PendingRating {
	/** The tablet's handoff; absent on the patient's phone, whose link names the form. */
	handoffId?: string;
	clientId: string;
	appointmentId: number;
	values: Record<string, number>;
	/**
	 * When the patient sent the answers, by the tablet's clock (ms since 1970). Answers sent after
	 * the clinician took the tablet back are accepted only when given before that.
	 */
	answeredAt: number;
}

export interface RefusedRating extends PendingRating {
	reason: string;
	problems: { key: string; code: string }[];
}

export type SendResult =
	| { kind: 'saved' }
	| { kind: 'offline' }
	/** Stemme (or something in front of it) answered but could not store: the disk, not the network. */
	| { kind: 'unavailable' }
	/** Not stored yet, and only a clinician signing in on this tablet can change that. */
	| { kind: 'waiting'; reason: string }
	| { kind: 'refused'; status: number; reason: string; problems: { key: string; code: string }[] };

const PREFIX = 'stemme:pending:';
const REFUSED_PREFIX = 'stemme:refused:';

/**
 * Refusals that no resend, from any page or by any clinician, can turn into a stored rating.
 * Anything else (signed out, a handoff this session does not know, another team) waits.
 */
const FINAL = new Set([
	'malformed',
	'after_hand_back',
	'invalid_values',
	'wrong_rater',
	'not_this_appointment',
	'already_rated',
	'client_id_reused',
	'not_correctable',
	'episode_closed',
	'unknown_instrument',
	// A rating link's own: no resend opens it again.
	'expired',
	'withdrawn',
	'already_answered'
]);

/** Where an entry is sent: the tablet's own endpoint in patient mode, the staff one, or a rating link's (the patient's phone). */
export type Route = 'tablet' | 'staff' | { link: string };

function url(route: Route, rating: PendingRating): string {
	if (typeof route === 'object') return `/r/${route.link}/submit`;
	return route === 'tablet' ? '/rate/submit' : `/appointments/${rating.appointmentId}/tablet-answers`;
}

/** The phone's one entry for its link: outside the tablet's keys, so no staff page ever sends it. */
export function linkOutboxKey(token: string): string {
	return `stemme:link:${token}`;
}

/** One entry per appointment, instrument and rater: a second answer to the same form replaces nothing on the server. */
export function outboxKey(appointmentId: number, instrumentId: string, rater: string): string {
	return `${PREFIX}${appointmentId}:${instrumentId}:${rater}`;
}

export function keep(key: string, rating: PendingRating): void {
	localStorage.setItem(key, JSON.stringify(rating));
}

function read<T>(key: string): T | null {
	const raw = localStorage.getItem(key);
	if (raw === null) return null;
	try {
		return JSON.parse(raw) as T;
	} catch {
		// Not ours to read (written by hand or by another version): left where it is.
		return null;
	}
}

export function pending(key: string): PendingRating | null {
	return read<PendingRating>(key);
}

function keysWith(prefix: string): string[] {
	const keys: string[] = [];
	for (let i = 0; i < localStorage.length; i++) {
		const key = localStorage.key(i);
		if (key?.startsWith(prefix)) keys.push(key);
	}
	return keys;
}

/** Every answer waiting on this tablet, with its key. */
export function allPending(): { key: string; rating: PendingRating }[] {
	return keysWith(PREFIX).flatMap((key) => {
		const rating = pending(key);
		return rating === null ? [] : [{ key, rating }];
	});
}

export function hasAnyPending(): boolean {
	return allPending().length > 0;
}

/** Answers the server refused for good, kept for the staff to see. */
export function allRefused(): { key: string; rating: RefusedRating }[] {
	return keysWith(REFUSED_PREFIX).flatMap((key) => {
		const rating = read<RefusedRating>(key);
		return rating === null ? [] : [{ key, rating }];
	});
}

/** A clinician has seen a refused answer and lets it go. */
export function dismissRefused(key: string): void {
	if (key.startsWith(REFUSED_PREFIX)) localStorage.removeItem(key);
}

export async function send(key: string, rating: PendingRating, route: Route = 'tablet'): Promise<SendResult> {
	let response: Response;
	try {
		response = await fetch(url(route, rating), {
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
	const reason = body.reason ?? `http_${response.status}`;
	// From the tablet, an unknown handoff means its staff session has ended: the staff pages can still send it.
	// From the staff pages it means the handoff does not exist at all: nobody can.
	const final = FINAL.has(reason) || (route === 'staff' && reason === 'unknown_handoff');
	if (!final) return { kind: 'waiting', reason };
	const problems = body.problems ?? [];
	if (typeof route === 'object') {
		// On the patient's phone nobody from the staff will look: the page says why instead.
		localStorage.removeItem(key);
		return { kind: 'refused', status: response.status, reason, problems };
	}
	// Moved, not deleted: the staff pages show it with the reason.
	localStorage.setItem(REFUSED_PREFIX + key.slice(PREFIX.length), JSON.stringify({ ...rating, reason, problems } satisfies RefusedRating));
	localStorage.removeItem(key);
	return { kind: 'refused', status: response.status, reason, problems };
}
