import type { RecordAppointment } from './patients';
import type { History, Rating as DomainRating, SessionEntry } from '$lib/domain/history';

type MissedStatus = Exclude<SessionEntry['attendance'], 'attended'>;

function toDomainRating(r: RecordAppointment['ratings'][number]): DomainRating {
	return { instrumentId: r.instrumentId, instrumentVersion: r.instrumentVersion, total: r.total, items: r.itemValues };
}

/**
 * One episode's appointments as the domain's History: attended sessions numbered from 1 (the
 * intake), appointments that did not take place kept in order with the number the next session
 * will have, future ('scheduled') appointments left out. The outcome is the patient's own rating
 * (a collateral rating is not the patient's score); the alliance is the patient's or, in a group,
 * the member's. Nothing is filled in where a rating is missing.
 */
export function historyOf(appts: readonly RecordAppointment[]): History {
	const history: SessionEntry[] = [];
	let attended = 0;
	for (const a of appts) {
		if (a.status === 'scheduled') continue;
		const date = a.scheduledAt.toISOString();
		if (a.status !== 'attended') {
			history.push({ session: attended + 1, date, attendance: a.status as MissedStatus, outcome: null, alliance: null });
			continue;
		}
		attended++;
		const outcome = a.ratings.find((r) => r.kind === 'outcome' && r.rater === 'patient');
		const alliance = a.ratings.find((r) => r.kind === 'alliance' && r.rater !== 'collateral');
		history.push({
			session: attended,
			date,
			attendance: 'attended',
			outcome: outcome === undefined ? null : toDomainRating(outcome),
			alliance: alliance === undefined ? null : toDomainRating(alliance)
		});
	}
	return history;
}
