/**
 * Log control: which reads of patient records look unusual, for the administrator's monthly report
 * (docs/clinical/sign-in-and-logs.md: every body processing health data must control its logs, and
 * routine control means looking for unusual access — Normen fact sheet 15, pasientjournalforskriften
 * § 14). Three kinds: a patient outside the reader's own teams, many records in a short time, and
 * reads at night in Oslo. The thresholds are the installation's to set; the defaults below are
 * Stemme's own choice (no source gives numbers), named so the report can print them.
 */

/** One read (or change) of one patient's record, as the audit trail links it. */
export interface RecordAccess {
	eventId: number;
	userId: number;
	patientId: number;
	at: Date;
}

export interface LogControlRules {
	/** This many different patients' records read by one user within `burstMinutes` counts as many. */
	burstPatients: number;
	burstMinutes: number;
	/** Night in Oslo: from this hour (inclusive) … */
	nightFromHour: number;
	/** … to this hour (exclusive), across midnight. */
	nightToHour: number;
}

/**
 * Defaults, Stemme's choice: 20 different patients within 10 minutes is more than a clinician
 * opens in a caseload review (a team's meeting list is read one patient at a time); night is
 * 22:00–06:00, outside the outpatient clinics' opening hours.
 */
export const DEFAULT_LOG_CONTROL_RULES: LogControlRules = { burstPatients: 20, burstMinutes: 10, nightFromHour: 22, nightToHour: 6 };

/** The kinds of unusual access, in the order the report shows them. */
export const unusualKinds = ['outside_team', 'many_records', 'night'] as const;
export type UnusualKind = (typeof unusualKinds)[number];

/** One user's unusual reads of one kind: how many, the patients, and the audit rows to look at. */
export interface UnusualAccess {
	kind: UnusualKind;
	userId: number;
	reads: number;
	patients: number;
	firstAt: Date;
	lastAt: Date;
	eventIds: number[];
}

const OSLO_HOUR = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Oslo', hour: '2-digit', hourCycle: 'h23' });

/**
 * The hour of an instant on an Oslo clock, 0–23.
 * @example osloHour(new Date('2026-12-03T23:30:00Z')) // 0 (00:30 in Oslo, winter time)
 */
export function osloHour(instant: Date): number {
	return Number(OSLO_HOUR.format(instant));
}

export function isNight(instant: Date, rules: Pick<LogControlRules, 'nightFromHour' | 'nightToHour'>): boolean {
	const hour = osloHour(instant);
	return rules.nightFromHour <= rules.nightToHour ? hour >= rules.nightFromHour && hour < rules.nightToHour : hour >= rules.nightFromHour || hour < rules.nightToHour;
}

/**
 * The windows where one user read at least `burstPatients` different patients within
 * `burstMinutes`; overlapping windows are joined into one finding.
 * @example manyRecords(reads, { burstPatients: 3, burstMinutes: 10 }) // one finding per run of reads
 */
export function manyRecords(reads: readonly RecordAccess[], rules: Pick<LogControlRules, 'burstPatients' | 'burstMinutes'>): UnusualAccess[] {
	const windowMs = rules.burstMinutes * 60_000;
	const found: UnusualAccess[] = [];
	for (const [userId, own] of byUser(reads)) {
		let current: RecordAccess[] | null = null;
		for (let i = 0; i < own.length; i++) {
			const window = own.filter((r) => r.at.getTime() >= own[i]!.at.getTime() && r.at.getTime() < own[i]!.at.getTime() + windowMs);
			if (new Set(window.map((r) => r.patientId)).size < rules.burstPatients) continue;
			if (current !== null && current.at(-1)!.at.getTime() >= own[i]!.at.getTime()) current = [...new Set([...current, ...window])];
			else {
				if (current !== null) found.push(finding('many_records', userId, current));
				current = window;
			}
		}
		if (current !== null) found.push(finding('many_records', userId, current));
	}
	return found;
}

/**
 * Every kind of unusual access in a month's reads. `treats(userId, patientId)` says whether the
 * patient belongs to one of the user's own teams (their caseload).
 */
export function unusualAccess(reads: readonly RecordAccess[], treats: (userId: number, patientId: number) => boolean, rules: LogControlRules = DEFAULT_LOG_CONTROL_RULES): UnusualAccess[] {
	const outside = [...byUser(reads.filter((r) => !treats(r.userId, r.patientId)))].map(([userId, own]) => finding('outside_team', userId, own));
	const night = [...byUser(reads.filter((r) => isNight(r.at, rules)))].map(([userId, own]) => finding('night', userId, own));
	return [...outside, ...manyRecords(reads, rules), ...night];
}

function byUser(reads: readonly RecordAccess[]): Map<number, RecordAccess[]> {
	const users = new Map<number, RecordAccess[]>();
	for (const r of [...reads].sort((a, b) => a.at.getTime() - b.at.getTime() || a.eventId - b.eventId)) users.set(r.userId, [...(users.get(r.userId) ?? []), r]);
	return users;
}

function finding(kind: UnusualKind, userId: number, reads: readonly RecordAccess[]): UnusualAccess {
	const sorted = [...reads].sort((a, b) => a.at.getTime() - b.at.getTime() || a.eventId - b.eventId);
	return { kind, userId, reads: sorted.length, patients: new Set(sorted.map((r) => r.patientId)).size, firstAt: sorted[0]!.at, lastAt: sorted.at(-1)!.at, eventIds: sorted.map((r) => r.eventId) };
}
