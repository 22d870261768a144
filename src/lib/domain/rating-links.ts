/**
 * A rating link: a grant for one form of one appointment, opened on the patient's own phone.
 * How long each kind stays answerable, and what state a link is in. The numbers and their
 * sources: docs/clinical/remote-rating.md.
 */

export const ratingLinkKinds = ['in_room', 'before', 'after', 'follow_up'] as const;
export type RatingLinkKind = (typeof ratingLinkKinds)[number];

const HOUR = 60 * 60_000;

/** In the room: a session of 45–90 minutes and the minutes after it (docs/clinical/remote-rating.md). */
export const IN_ROOM_HOURS = 2;
/** After a video or phone session: the alliance form for 24 hours (the rule; Timeblu keeps 72 h). */
export const AFTER_SESSION_HOURS = 24;
/** Follow-up after discharge: Greenspace's default expiry of 4 days (docs/clinical/remote-rating.md). */
export const FOLLOW_UP_DAYS = 4;

/**
 * When a link made at `sentAt` stops taking answers. A link sent before the appointment is
 * answerable until the session starts: then it counts as that session's outcome rating.
 */
export function linkExpiry(kind: RatingLinkKind, sentAt: Date, appointmentStart: Date): Date {
	switch (kind) {
		case 'in_room':
			return new Date(sentAt.getTime() + IN_ROOM_HOURS * HOUR);
		case 'before':
			return appointmentStart;
		case 'after':
			return new Date(sentAt.getTime() + AFTER_SESSION_HOURS * HOUR);
		case 'follow_up':
			return new Date(sentAt.getTime() + FOLLOW_UP_DAYS * 24 * HOUR);
	}
}

export type LinkState = 'open' | 'answered' | 'expired' | 'withdrawn';

/** Answered wins over everything after it: a patient who answered is told so, not that it expired. */
export function linkState(link: { answeredAt: Date | null; expiresAt: Date; withdrawnAt: Date | null }, now: Date): LinkState {
	if (link.answeredAt !== null) return 'answered';
	if (link.withdrawnAt !== null && link.withdrawnAt.getTime() <= now.getTime()) return 'withdrawn';
	if (now.getTime() >= link.expiresAt.getTime()) return 'expired';
	return 'open';
}

/** The token's shape in a URL: 26 base32 characters (128 bits). Anything else is not looked up. */
export const LINK_TOKEN = /^[a-z2-7]{26}$/;
