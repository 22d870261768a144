import { z } from 'zod';
import { ITEM_MAX, ITEM_MIN, ITEM_STEP } from './clinical-constants';
import { formatIssues } from './format-issues';
import { LANGUAGES } from './localized';

/** Lower-case kebab keys for ids, item keys and age-band keys. */
const KEY = /^[a-z][a-z0-9-]*$/;

export const INSTRUMENT_KINDS = ['outcome', 'alliance'] as const;
export const RATERS = ['patient', 'collateral', 'group-member'] as const;
export const ADMINISTERED = ['session-start', 'session-end'] as const;

function localizedSchema(languages: readonly string[]) {
	return z.record(z.string(), z.string().min(1)).superRefine((value, ctx) => {
		for (const language of languages) {
			if (value[language] === undefined) {
				ctx.addIssue({ code: 'custom', message: 'is missing', path: [language] });
			}
		}
	});
}

function instrumentSchema(languages: readonly string[]) {
	const text = localizedSchema(languages);
	// A source in the file's languages, or one string (a pack's own citation, shown as written).
	const source = z.union([z.string().min(1), text]);
	const reliableChange = z
		.object({
			rci: z.number().positive().optional(),
			sd: z.number().positive().optional(),
			reliability: z.number().min(0).lt(1).optional(),
			source
		})
		.strict()
		.superRefine((value, ctx) => {
			for (const problem of reliableChangeProblems(value)) ctx.addIssue({ code: 'custom', ...problem });
		});
	const thresholds = z
		.object({
			cutoff: z.number().min(0),
			reliableChange: reliableChange.optional(),
			drop: z.number().positive().optional(),
			source,
			provisional: z.boolean(),
			note: text.optional()
		})
		.strict();
	const ageBand = z
		.object({
			key: z.string().regex(KEY),
			label: text,
			minAge: z.number().int().min(0).nullable(),
			maxAge: z.number().int().min(0).nullable(),
			thresholds
		})
		.strict();
	const item = z
		.object({
			key: z.string().regex(KEY),
			label: text,
			anchors: z.object({ low: text, high: text }).strict()
		})
		.strict();
	// What another rater than the patient is shown: the form's name, the instructions and every item, about the patient.
	const wording = z.object({ name: text, instructions: text, items: z.record(z.string().regex(KEY), text) }).strict();
	return z
		.object({
			id: z.string().regex(KEY),
			version: z.number().int().min(1),
			kind: z.enum(INSTRUMENT_KINDS),
			name: text,
			raters: z.array(z.enum(RATERS)).min(1),
			administered: z.enum(ADMINISTERED),
			timeFrame: text,
			instructions: text,
			items: z.array(item).min(1),
			raterWording: z.object({ collateral: wording.optional(), 'group-member': wording.optional() }).strict().optional(),
			itemRange: z.object({ min: z.literal(ITEM_MIN), max: z.literal(ITEM_MAX), step: z.literal(ITEM_STEP) }).strict(),
			totalRange: z.object({ min: z.number(), max: z.number() }).strict(),
			ageBands: z.array(ageBand).min(1),
			licence: z.object({ holder: z.string().min(1), note: text }).strict()
		})
		.strict()
		.superRefine((def, ctx) => {
			for (const problem of crossFieldProblems(def)) ctx.addIssue({ code: 'custom', ...problem });
		});
}

const builtInSchema = instrumentSchema(LANGUAGES);

/** An instrument as data (docs/clinical/measures.md): the shape every built-in file and pack file must have. */
export type InstrumentDefinition = z.output<typeof builtInSchema>;
export type InstrumentKind = InstrumentDefinition['kind'];
export type AgeBand = InstrumentDefinition['ageBands'][number];
export type Thresholds = AgeBand['thresholds'];

interface Problem {
	path: (string | number)[];
	message: string;
}

/** Checks that span fields: unique keys, total range = items × item range, age bands, kinds. */
function crossFieldProblems(def: InstrumentDefinition): Problem[] {
	const problems: Problem[] = [];
	const seenItems = new Map<string, number>();
	def.items.forEach((item, i) => {
		const earlier = seenItems.get(item.key);
		if (earlier !== undefined) {
			problems.push({ path: ['items', i, 'key'], message: `repeats items[${earlier}].key "${item.key}"` });
		}
		seenItems.set(item.key, i);
	});
	for (const [rater, wording] of Object.entries(def.raterWording ?? {})) {
		if (wording === undefined) continue;
		if (!(def.raters as readonly string[]).includes(rater)) problems.push({ path: ['raterWording', rater], message: `is for a rater the instrument is not offered to` });
		const keys = new Set(def.items.map((i) => i.key));
		for (const key of Object.keys(wording.items)) if (!keys.has(key)) problems.push({ path: ['raterWording', rater, 'items', key], message: 'is not an item of the instrument' });
		for (const key of keys) if (wording.items[key] === undefined) problems.push({ path: ['raterWording', rater, 'items', key], message: 'is missing' });
	}
	const expectedMax = def.items.length * ITEM_MAX;
	const expectedMin = def.items.length * ITEM_MIN;
	if (def.totalRange.max !== expectedMax) {
		problems.push({ path: ['totalRange', 'max'], message: `must be ${expectedMax} (${def.items.length} items × ${ITEM_MAX})` });
	}
	if (def.totalRange.min !== expectedMin) {
		problems.push({ path: ['totalRange', 'min'], message: `must be ${expectedMin}` });
	}
	def.ageBands.forEach((band, i) => {
		const at = (...rest: (string | number)[]): (string | number)[] => ['ageBands', i, ...rest];
		if (band.minAge !== null && band.maxAge !== null && band.minAge > band.maxAge) {
			problems.push({ path: at('maxAge'), message: `must not be below minAge (${band.minAge})` });
		}
		def.ageBands.slice(0, i).forEach((other, j) => {
			if (other.key === band.key) problems.push({ path: at('key'), message: `repeats ageBands[${j}].key "${band.key}"` });
			else if (bandsOverlap(band, other)) problems.push({ path: at(), message: `overlaps ageBands[${j}] ("${other.key}")` });
		});
		const t = band.thresholds;
		if (t.cutoff > def.totalRange.max) {
			problems.push({ path: at('thresholds', 'cutoff'), message: `must not exceed totalRange.max (${def.totalRange.max})` });
		}
		if (def.kind === 'outcome' && t.reliableChange === undefined) {
			problems.push({ path: at('thresholds', 'reliableChange'), message: 'is missing (an outcome instrument needs it)' });
		}
		if (def.kind === 'alliance' && t.drop === undefined) {
			problems.push({ path: at('thresholds', 'drop'), message: 'is missing (an alliance instrument needs it)' });
		}
		if (t.provisional && t.note === undefined) {
			problems.push({ path: at('thresholds', 'note'), message: 'is missing (provisional thresholds need a note)' });
		}
	});
	return problems;
}

/**
 * Reliable change is given one way: `rci` alone, or `sd` with `reliability` (the RCI is then
 * computed). A pair half given, or either of it beside `rci`, would leave a number silently unused.
 */
function reliableChangeProblems(value: { rci?: number; sd?: number; reliability?: number }): Problem[] {
	const given = (['rci', 'sd', 'reliability'] as const).filter((key) => value[key] !== undefined);
	if (value.rci !== undefined && given.length > 1) {
		const list = `${given.slice(0, -1).join(', ')} and ${given.at(-1)}`;
		return [{ path: [], message: `must give either rci, or sd and reliability, not both (it has ${list})` }];
	}
	if (value.sd !== undefined && value.reliability === undefined) {
		return [{ path: ['reliability'], message: 'is missing (sd and reliability go together)' }];
	}
	if (value.reliability !== undefined && value.sd === undefined) {
		return [{ path: ['sd'], message: 'is missing (sd and reliability go together)' }];
	}
	if (given.length === 0) return [{ path: [], message: 'must give either rci, or both sd and reliability' }];
	return [];
}

function bandsOverlap(a: AgeBand, b: AgeBand): boolean {
	const aMin = a.minAge ?? 0;
	const bMin = b.minAge ?? 0;
	const aMax = a.maxAge ?? Number.POSITIVE_INFINITY;
	const bMax = b.maxAge ?? Number.POSITIVE_INFINITY;
	return aMin <= bMax && bMin <= aMax;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/**
 * Validates raw data (a parsed JSON file or a built-in object) as an instrument definition.
 * Every error names `source` and the field path. Texts must exist in each of `languages`.
 * @example validateInstrument(json, 'pack "kor-nb" (instruments/ors.json)', ['nb', 'en'])
 * // { ok: false, errors: ['pack "kor-nb" (instruments/ors.json): items[2].label.nb is missing'] }
 */
export function validateInstrument(data: unknown, source: string, languages: readonly string[] = LANGUAGES): ValidationResult<InstrumentDefinition> {
	const schema = languages === LANGUAGES ? builtInSchema : instrumentSchema(languages);
	const parsed = schema.safeParse(data);
	if (parsed.success) return { ok: true, value: parsed.data };
	return { ok: false, errors: formatIssues(parsed.error.issues, data, source) };
}
