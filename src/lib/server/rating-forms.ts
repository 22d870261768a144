import type { ScoreProblem } from '$lib/domain/scoring';
import type { InstrumentDefinition } from '$lib/domain/instrument-schema';
import { textFor } from '$lib/domain/localized';
import { m } from '$lib/paraglide/messages';

/** Item values from a staff form: fields `item.<key>`, a decimal comma accepted ("6,3"). */
export function itemValuesFromForm(form: FormData, def: InstrumentDefinition): Record<string, string> {
	const values: Record<string, string> = {};
	for (const item of def.items) {
		const raw = form.get(`item.${item.key}`);
		values[item.key] = typeof raw === 'string' ? raw.trim().replace(',', '.').slice(0, 20) : '';
	}
	return values;
}

/** One sentence naming every item that was wrong and how, in the user's language. */
export function scoreProblemsMessage(problems: readonly ScoreProblem[], def: InstrumentDefinition, language: string): string {
	return problems
		.map((p) => {
			const item = def.items.find((i) => i.key === p.key);
			const field = item === undefined ? p.key : textFor(item.label, language);
			const problem = p.code === 'missing' ? m.problem_missing() : p.code === 'out-of-range' ? m.problem_range() : p.code === 'too-many-decimals' ? m.problem_decimals() : m.problem_nan();
			return m.rating_error_item({ field, problem });
		})
		.join('; ');
}
