import { z } from 'zod';
import { formatIssues } from './format-issues';
import type { ValidationResult } from './instrument-schema';

const row = z
	.object({
		intake: z.number().min(0),
		expected: z.array(z.number()),
		target: z.array(z.number()),
		critical: z.array(z.number())
	})
	.strict();

const tableSchema = z
	.object({
		kind: z.literal('table').default('table'),
		id: z.string().min(1),
		instrument: z.object({ id: z.string().min(1), version: z.number().int().min(1) }).strict(),
		source: z.string().min(1),
		sessions: z.array(z.number().int().min(2)).min(1),
		rows: z.array(row).min(1)
	})
	.strict()
	.superRefine((table, ctx) => {
		table.sessions.forEach((session, i) => {
			const previous = table.sessions[i - 1];
			if (previous !== undefined && session <= previous) {
				ctx.addIssue({ code: 'custom', path: ['sessions', i], message: 'must be greater than the one before' });
			}
		});
		table.rows.forEach((r, i) => {
			const previous = table.rows[i - 1];
			if (previous !== undefined && r.intake <= previous.intake) {
				ctx.addIssue({ code: 'custom', path: ['rows', i, 'intake'], message: 'must be greater than the row before' });
			}
			for (const column of ['expected', 'target', 'critical'] as const) {
				if (r[column].length !== table.sessions.length) {
					ctx.addIssue({
						code: 'custom',
						path: ['rows', i, column],
						message: `must have ${table.sessions.length} values, one per session`
					});
				}
			}
			r.target.forEach((target, j) => {
				const critical = r.critical[j];
				if (critical !== undefined && critical > target) {
					ctx.addIssue({ code: 'custom', path: ['rows', i, 'critical', j], message: 'must not exceed the target' });
				}
			});
		});
	});

/**
 * A licensed expected-response table: expected score, target and critical line by intake score
 * (rows, ascending) and session (columns, ascending, from session 2; session 1 is the intake).
 */
export type ExpectedTable = z.output<typeof tableSchema>;

/**
 * Validates raw data as an expected-response table; errors name `source` and the field path.
 * @example validateExpectedTable(json, 'pack "kor-nb" (tables/ors.json)')
 * // { ok: false, errors: ['pack "kor-nb" (tables/ors.json): rows[3].target must have 19 values, one per session'] }
 */
export function validateExpectedTable(data: unknown, source: string): ValidationResult<ExpectedTable> {
	const parsed = tableSchema.safeParse(data);
	if (parsed.success) return { ok: true, value: parsed.data };
	return { ok: false, errors: formatIssues(parsed.error.issues, data, source) };
}
