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
	words: string;
	raisedAt: string;
	acknowledgedBy: string | null;
	acknowledgedAt: string | null;
	resolvedAt: string | null;
	resolution: 'condition-cleared' | 'episode-ended' | null;
	actions: {
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
	}[];
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
	actions: { key: string; label: string }[];
	members: { id: number; name: string }[];
	responsibleId: number | null;
	sessionIntervalDays: number;
	today: string;
}
