/**
 * The numbers behind "why is this line here?" for one patient: the intake score, what the
 * model or licensed table expects at the next session, and which table row and column that is.
 * Pure; every number comes from the domain (expectedScore, tablePosition).
 */
import { expectedScore, tablePosition, type ExpectedModel } from '$lib/domain/expected-score';
import { intakeScore, type History } from '$lib/domain/history';

export interface NextSession {
	session: number;
	expected: number;
	target: number;
	critical: number;
	/** The intake lies outside what the model was fitted on or the table covers. */
	extrapolated: boolean;
}

/** The table row(s) the next session's numbers are read from, and the session column used. */
export type TableRow = { kind: 'row'; intake: number; column: number } | { kind: 'between'; lo: number; hi: number; column: number };

export interface WhyNumbers {
	intake: number | null;
	/** Null without an intake rating or without a model or table. */
	next: NextSession | null;
	/** Only for a licensed table. */
	row: TableRow | null;
}

/**
 * @example whyNumbers(buildHistory([[17, 38], [19, 37]]), table)
 * // { intake: 17, next: { session: 3, expected: 21, target: 22, critical: 16, extrapolated: false }, row: { kind: 'row', intake: 17, column: 3 } }
 */
export function whyNumbers(history: History, model: ExpectedModel | null): WhyNumbers {
	const intake = intakeScore(history);
	if (intake === null || model === null) return { intake, next: null, row: null };
	const latest = history.findLast((e) => e.attendance === 'attended')?.session ?? 0;
	const session = latest + 1;
	const score = expectedScore(model, intake, session);
	const next = score.ok ? { session, expected: score.expected, target: score.target, critical: score.critical, extrapolated: score.extrapolated } : null;
	if (model.kind === 'fitted') return { intake, next, row: null };
	const at = tablePosition(model, intake, session);
	if (at === null) return { intake, next, row: null };
	const column = model.sessions[at.column]!;
	const row: TableRow = at.lo === at.hi || at.weight === 1 ? { kind: 'row', intake: at.hi.intake, column } : { kind: 'between', lo: at.lo.intake, hi: at.hi.intake, column };
	return { intake, next, row };
}
