import type { FactorAnswer, FlagKind } from '$lib/domain/risk';

// What the drop-out views receive from the server: serialisable, in the reader's language.

export interface FactorView {
	key: string;
	label: string;
	advice: string;
	answer: FactorAnswer;
	note: string;
	date: string | null;
	hasDate: boolean;
	/** How the data fills it in, in words, or null. */
	fromData: string | null;
	/** The answer once the data is added (the young-age factor from the birth year, a weak alliance). */
	effective: FactorAnswer;
	assessedBy: string | null;
	assessedAt: string | null;
}

export interface RiskFlagView {
	id: number;
	key: string;
	source: 'factor' | 'signal';
	kind: FlagKind;
	rule: string;
	rulesVersion: number;
	params: Record<string, number>;
	/** What it was raised on, with the session judged ("At session 3: …"); same as `raisedWords`. */
	words: string;
	raisedWords: string;
	/** Today's figures when the data has moved since it was raised, else null. */
	nowWords: string | null;
	raisedAt: string;
	acknowledgedBy: string | null;
	acknowledgedAt: string | null;
	resolvedAt: string | null;
	resolution: 'condition-cleared' | 'episode-ended' | 'closed-by-hand' | null;
	closedBy: string | null;
	closeReason: string | null;
	actions: RiskActionView[];
}

export interface RiskActionView {
	id: number;
	actionKey: string;
	actionLabel: string;
	note: string;
	owner: string;
	dueDate: string;
	overdue: boolean;
	createdBy: string;
	createdAt: string;
	outcome: string | null;
	outcomeBy: string | null;
	outcomeAt: string | null;
}

/**
 * The open flags of one domain on one card: one acknowledgement and one action cover them
 * (the same situation seen by several rules is one thing to deal with).
 */
export interface FlagGroupView {
	kind: FlagKind;
	flags: RiskFlagView[];
	unseen: number;
	/** The people who saw this card's flags, with the latest time, when all are seen. */
	seenBy: { names: string; at: string } | null;
	/** Actions agreed on the card, or on one of its flags. */
	actions: RiskActionView[];
}

export interface PatientRiskView {
	episodeId: number;
	open: boolean;
	source: string;
	factors: FactorView[];
	lastReviewed: { at: string; by: string } | null;
	/** The checklist is older than the milestone interval (or was never filled in). */
	reviewDue: boolean;
	milestoneDays: number;
	absencePlan: { agreement: string; recordedBy: string; recordedAt: string } | null;
	flags: RiskFlagView[];
	/** Open flags by domain, in the caseload's order. */
	groups: FlagGroupView[];
	/** Resolved and closed flags, newest first. */
	earlier: RiskFlagView[];
	actions: { key: string; label: string }[];
	members: { id: number; name: string }[];
	responsibleId: number | null;
	sessionIntervalDays: number;
	today: string;
}
