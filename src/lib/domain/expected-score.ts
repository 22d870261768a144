import type { ExpectedTable } from './expected-table';
import type { FittedModel } from './trajectory-model';

/** Where expected trajectories come from: the installation's fitted model or a licensed table. */
export type ExpectedModel = FittedModel | ExpectedTable;

export type ExpectedScore =
	| {
			ok: true;
			source: 'fitted' | 'table';
			/** Expected mean score at this session for this intake, points. */
			expected: number;
			/** Where successful episodes are at this session. */
			target: number;
			/** Below this, a negative outcome is likely. */
			critical: number;
			/** The intake lies outside the intakes the model was fitted on / the table covers. */
			extrapolated: boolean;
	  }
	| { ok: false; error: 'invalid-session' | 'session-before-table' };

/**
 * Expected, target and critical score for a patient with this intake at this session (1 = intake).
 * Session 1 answers the intake itself for all three.
 *
 * Fitted model: mean = (g00 + g01·intake) + (g10 + g11·intake)·ln(session); target and critical
 * add the residual percentiles of the session's band; sessions after `maxSession` use the last
 * band (the mean keeps following ln(session)). All three are kept inside the instrument's total
 * range, and the target never below the expected line nor the critical above it.
 * Table: LINEAR interpolation between the two intake rows around the intake (an intake outside
 * the rows takes the nearest row and is marked extrapolated); the column is the last session at
 * or before the one asked for, so sessions beyond the table use its last column.
 * @example expectedScore(model, 16, 4) // { ok: true, source: 'fitted', expected: 21.3, target: 22.1, critical: 15.9, extrapolated: false }
 */
export function expectedScore(model: ExpectedModel, intake: number, session: number): ExpectedScore {
	if (!Number.isInteger(session) || session < 1) return { ok: false, error: 'invalid-session' };
	if (model.kind === 'fitted') return fromModel(model, intake, session);
	return fromTable(model, intake, session);
}

function fromModel(model: FittedModel, intake: number, session: number): ExpectedScore {
	const extrapolated = intake < model.intakeRange.min || intake > model.intakeRange.max;
	if (session === 1) return { ok: true, source: 'fitted', expected: intake, target: intake, critical: intake, extrapolated };
	const { g00, g01, g10, g11 } = model.coefficients;
	const bands = model.bands;
	const band = bands[Math.min(session - 2, bands.length - 1)];
	if (band === undefined) return { ok: false, error: 'invalid-session' };
	// The lines stay inside the instrument's range (an extreme intake extrapolates the curve past
	// 40) and in order: critical ≤ expected ≤ target (docs/clinical/change.md).
	const { min, max } = model.totalRange;
	const clamp = (v: number): number => Math.min(max, Math.max(min, v));
	const mean = g00 + g01 * intake + (g10 + g11 * intake) * Math.log(session);
	const expected = clamp(mean);
	return {
		ok: true,
		source: 'fitted',
		expected,
		target: clamp(Math.max(mean + band.target, mean)),
		critical: clamp(Math.min(mean + band.critical, mean)),
		extrapolated
	};
}

/** Where a table answers for this intake and session: its rows around the intake and its column. */
export interface TablePosition {
	/** Index into `sessions` (and each row's values): the last session at or before the one asked for. */
	column: number;
	/** The rows interpolated between (the same row when the intake is on a row or outside them all). */
	lo: ExpectedTable['rows'][number];
	hi: ExpectedTable['rows'][number];
	/** Weight of `hi`: 0 … 1. */
	weight: number;
}

/**
 * The rows and column a licensed table's expected scores are read from (see expectedScore),
 * or null when the session comes before the table's first column.
 * @example tablePosition(table, 15, 3) // { column: 1, lo: { intake: 10, … }, hi: { intake: 20, … }, weight: 0.5 }
 */
export function tablePosition(table: ExpectedTable, intake: number, session: number): TablePosition | null {
	let column = -1;
	for (let j = 0; j < table.sessions.length; j++) if ((table.sessions[j] as number) <= session) column = j;
	if (column === -1 || table.rows.length === 0) return null;
	let upper = table.rows.findIndex((row) => row.intake >= intake);
	if (upper === -1) upper = table.rows.length - 1;
	const hi = table.rows[upper]!;
	const lo = table.rows[upper - 1] ?? hi;
	const weight = hi === lo || intake >= hi.intake ? 1 : Math.max(0, (intake - lo.intake) / (hi.intake - lo.intake));
	return { column, lo, hi, weight };
}

function fromTable(table: ExpectedTable, intake: number, session: number): ExpectedScore {
	const first = table.rows[0];
	const last = table.rows[table.rows.length - 1];
	if (first === undefined || last === undefined) return { ok: false, error: 'session-before-table' };
	const extrapolated = intake < first.intake || intake > last.intake;
	if (session === 1) return { ok: true, source: 'table', expected: intake, target: intake, critical: intake, extrapolated };
	const position = tablePosition(table, intake, session);
	if (position === null) return { ok: false, error: 'session-before-table' };
	const { column, lo, hi, weight } = position;
	const at = (values: readonly number[], fallback: readonly number[]): number => {
		const a = fallback[column] as number;
		const b = values[column] as number;
		return a + weight * (b - a);
	};
	return {
		ok: true,
		source: 'table',
		expected: at(hi.expected, lo.expected),
		target: at(hi.target, lo.target),
		critical: at(hi.critical, lo.critical),
		extrapolated
	};
}
