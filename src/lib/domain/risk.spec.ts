import { describe, expect, it } from 'vitest';
import { buildHistory, type HistoryRow } from '../../../tests/support/history-builder';
import { DEFAULT_ATTENDANCE_CONFIG, type AppointmentRecord } from './attendance-signals';
import { DEFAULT_CHECKLIST, validateChecklist } from './checklist';
import { allianceIsWeak, APPOINTMENT_MINUTES, factorFromData, FACTOR_RULES_VERSION, flagKind, FLAG_KINDS, judgedHistory, riskConditions, type RiskInput } from './risk';
import { SIGNAL_RULES_VERSION } from './session-signals';

const NOW = new Date('2026-11-23T12:00:00Z');
// docs/clinical/measures.md: outcome cutoff 25, reliable change 5; alliance cutoff 36, drop 1.
const thresholds = { outcome: { cutoff: 25, rci: 5 }, alliance: { cutoff: 36, drop: 1 } };
/** Weekly sessions ending 3 days before NOW, so no attendance signal fires unless asked. */
function input(rows: HistoryRow[], over: Partial<RiskInput> = {}): RiskInput {
	const start = new Date(NOW.getTime() - (3 + 7 * (rows.length - 1)) * 86_400_000).toISOString().slice(0, 10);
	const history = buildHistory(rows, { start });
	const appointments: AppointmentRecord[] = history.map((e) => ({ at: `${e.date}T10:00:00Z`, status: e.attendance }));
	return {
		history,
		thresholds,
		model: null,
		appointments,
		episode: { start, transition: null },
		now: NOW,
		attendance: { ...DEFAULT_ATTENDANCE_CONFIG, plannedIntervalDays: 14 },
		checklist: DEFAULT_CHECKLIST,
		answers: {},
		age: 40,
		...over
	};
}
const keys = (i: RiskInput) => riskConditions(i).map((c) => c.key);

describe('riskConditions', () => {
	it('is empty for a patient who improves with a good alliance', () => {
		// 17 → 23 at session 3: +6 ≥ 5, reliable; alliance 38 throughout (≥ 36, no drop).
		expect(
			keys(
				input([
					[17, 38],
					[20, 38],
					[23, 38]
				])
			)
		).toEqual([]);
	});

	it('raises alliance below cutoff and a drop, each with its own key', () => {
		// 38 → 35: below 36 and a fall of 3 ≥ 1.
		expect(
			keys(
				input([
					[17, 38],
					[23, 35]
				])
			)
		).toEqual(['signal:alliance-below-cutoff', 'signal:alliance-dropped']);
	});

	it('raises the discuss checkpoint at session 3 without reliable improvement, and the change-approach one at 6', () => {
		expect(
			keys(
				input([
					[17, 38],
					[18, 38],
					[19, 38]
				])
			)
		).toEqual(['signal:no-reliable-improvement-discuss']);
		expect(
			keys(
				input([
					[17, 38],
					[18, 38],
					[19, 38],
					[19, 38],
					[20, 38],
					[21, 38]
				])
			)
		).toEqual(['signal:no-reliable-improvement-change-approach']);
	});

	it('drops the checkpoint condition once the change is reliable again', () => {
		// No improvement by 3, but 17 → 22 (+5) at session 4.
		expect(
			keys(
				input([
					[17, 38],
					[18, 38],
					[19, 38],
					[22, 38]
				])
			)
		).toEqual([]);
	});

	it('raises reliable deterioration at the latest rating, instead of the checkpoint', () => {
		// 20 → 15 at session 3: −5.
		expect(
			keys(
				input([
					[20, 38],
					[18, 38],
					[15, 38]
				])
			)
		).toEqual(['signal:reliable-deterioration']);
	});

	it('adds the attendance signals', () => {
		const i = input([
			[17, 38],
			[23, 38]
		]);
		const missed: AppointmentRecord[] = [...i.appointments, { at: '2026-11-21T10:00:00Z', status: 'no_show' }, { at: '2026-11-22T10:00:00Z', status: 'late_cancellation' }];
		expect(keys({ ...i, appointments: missed })).toEqual(['signal:missed-recently', 'signal:missed-share']);
		expect(keys({ ...i, episode: { ...i.episode, transition: '2026-11-30' } })).toEqual(['signal:transition-near']);
	});

	it('raises a factor answered yes, and young age from the age alone', () => {
		expect(
			keys(
				input(
					[
						[17, 38],
						[23, 38]
					],
					{ answers: { 'earlier-dropout': 'yes', motivation: 'no', personality: 'unknown' } }
				)
			)
		).toEqual(['factor:earlier-dropout']);
		// Under 23 → young age, whatever was answered.
		const young = riskConditions(
			input(
				[
					[17, 38],
					[23, 38]
				],
				{ age: 19, answers: { 'young-age': 'no' } }
			)
		);
		expect(young.map((c) => [c.key, c.params])).toEqual([['factor:young-age', { age: 19, under: 23 }]]);
		expect(
			keys(
				input(
					[
						[17, 38],
						[23, 38]
					],
					{ age: 23 }
				)
			)
		).toEqual([]);
	});

	it('carries the rule version on every condition', () => {
		// the factor and the ratings' signals (35 < 36, 38 → 35 fell 3 ≥ 1, 20 → 15 = −5) each carry their own version
		const conditions = riskConditions(
			input(
				[
					[20, 38],
					[15, 35]
				],
				{ answers: { motivation: 'yes' } }
			)
		);
		expect(conditions.map((c) => [c.rule, c.rulesVersion])).toEqual([
			['motivation', FACTOR_RULES_VERSION],
			['alliance-below-cutoff', SIGNAL_RULES_VERSION],
			['alliance-dropped', SIGNAL_RULES_VERSION],
			['reliable-deterioration', SIGNAL_RULES_VERSION]
		]);
	});
});

describe('riskConditions without usable instruments', () => {
	it('still raises the checklist and attendance conditions, and no rating signal', () => {
		// Alliance 30 would be below the cutoff, but without thresholds nothing about ratings is judged.
		const i = input(
			[
				[17, 30],
				[16, 30]
			],
			{ thresholds: null, answers: { 'earlier-dropout': 'yes' }, now: new Date('2026-12-23T12:00:00Z') }
		);
		expect(keys(i)).toEqual(['factor:earlier-dropout', 'signal:long-gap']);
	});
});

describe('allianceIsWeak', () => {
	it.each([
		[
			[
				[17, 38],
				[20, 37.5]
			],
			false
		],
		[
			[
				[17, 38],
				[20, 37]
			],
			true
		],
		[
			[
				[17, 38],
				[20, 35.9]
			],
			true
		],
		[
			[
				[17, 38.5],
				[20, 37.4]
			],
			true
		],
		[
			[
				[17, 36],
				[20, 36]
			],
			false
		]
	] as const)('%j → %s', (rows, weak) => {
		expect(allianceIsWeak(buildHistory(rows.map((r) => [...r]) as HistoryRow[], { start: '2026-11-01' }), thresholds, null)).toBe(weak);
	});
});

describe('flagKind', () => {
	it.each([
		['factor', 'young-age', 'factor'],
		['signal', 'alliance-below-cutoff', 'alliance'],
		['signal', 'alliance-dropped', 'alliance'],
		['signal', 'transition-near', 'transition'],
		['signal', 'missed-recently', 'attendance'],
		['signal', 'missed-share', 'attendance'],
		['signal', 'long-gap', 'attendance'],
		['signal', 'no-reliable-improvement-discuss', 'progress'],
		['signal', 'no-reliable-improvement-change-approach', 'progress'],
		['signal', 'reliable-deterioration', 'progress']
	] as const)('%s %s is %s', (source, rule, kind) => {
		expect(flagKind(source, rule)).toBe(kind);
		expect(FLAG_KINDS).toContain(kind);
	});
});

describe('factorFromData', () => {
	const alliance = DEFAULT_CHECKLIST.factors.find((f) => f.key === 'weak-alliance')!;
	const age = DEFAULT_CHECKLIST.factors.find((f) => f.key === 'young-age')!;
	it.each([
		{ name: 'weak alliance in the data fills in yes', f: alliance, a: 'unknown' as const, age: 40, weak: true, out: { answer: 'yes', fromData: true } },
		{ name: 'a clinician’s yes stays yes', f: alliance, a: 'yes' as const, age: 40, weak: true, out: { answer: 'yes', fromData: false } },
		{ name: 'good alliance leaves the answer', f: alliance, a: 'no' as const, age: 40, weak: false, out: { answer: 'no', fromData: false } },
		{ name: 'age 22 → yes', f: age, a: 'unknown' as const, age: 22, weak: false, out: { answer: 'yes', fromData: true } },
		{ name: 'unknown age keeps the answer', f: age, a: 'unknown' as const, age: null, weak: false, out: { answer: 'unknown', fromData: false } }
	])('$name', ({ f, a, age: years, weak, out }) => {
		expect(factorFromData(f, a, years, weak)).toEqual(out);
	});
});

describe('the checklist as data', () => {
	it('the default checklist is valid, with ten factors and eight actions in nb, nn and en', () => {
		const r = validateChecklist(DEFAULT_CHECKLIST, 'default');
		expect(r.ok).toBe(true);
		expect(DEFAULT_CHECKLIST.factors).toHaveLength(10);
		expect(DEFAULT_CHECKLIST.actions).toHaveLength(8);
		for (const f of DEFAULT_CHECKLIST.factors) expect(Object.keys(f.label).sort()).toEqual(['en', 'nb', 'nn']);
	});

	it('names the file and the field of a broken local checklist', () => {
		const broken = structuredClone(DEFAULT_CHECKLIST) as unknown as { factors: { label: Record<string, string> }[]; actions: unknown[] };
		delete broken.factors[2]!.label.nb;
		broken.actions.push({ key: 'other', label: { nb: 'x', en: 'x' } });
		const r = validateChecklist(broken, 'sjekkliste.json');
		expect(r.ok).toBe(false);
		if (!r.ok) {
			expect(r.errors.join('\n')).toContain('sjekkliste.json: factors[2].label');
			expect(r.errors.join('\n')).toContain('action keys must be unique');
		}
	});
});

describe('checklistLabels', () => {
	it('names factors and actions in the language, and says null or the key for ones the checklist lacks', async () => {
		const { checklistLabels } = await import('./checklist');
		const labels = checklistLabels(DEFAULT_CHECKLIST, 'nn');
		expect(labels.factor('young-age')).toBe('Ung alder (under 23 år)');
		expect(labels.factor('gone')).toBeNull();
		expect(labels.action('call-today')).toBe('Ring pasienten i dag');
		expect(labels.action('gone')).toBe('gone');
	});
});

describe('judgedHistory', () => {
	// Sessions are dated at midnight UTC by the builder; the last one is "now" plus minutes.
	const rows: HistoryRow[] = [
		[17, 38],
		[18, 33],
		[19, null]
	];
	const history = buildHistory(rows, { start: '2026-11-02' });
	const startOfLast = Date.parse(history[2]!.date);
	const at = (minutes: number) => new Date(startOfLast + minutes * 60_000);

	it('leaves out the latest session while it runs without all its ratings', () => {
		expect(judgedHistory(history, at(5)).map((e) => e.session)).toEqual([1, 2]);
		expect(judgedHistory(history, at(APPOINTMENT_MINUTES - 1))).toHaveLength(2);
	});

	it('judges the session once it is over, or once its ratings are complete', () => {
		expect(judgedHistory(history, at(APPOINTMENT_MINUTES))).toHaveLength(3);
		const complete = buildHistory(
			[
				[17, 38],
				[18, 33],
				[19, 34]
			],
			{ start: '2026-11-02' }
		);
		expect(judgedHistory(complete, at(5))).toHaveLength(3);
		// An episode with only an outcome measure is complete with the outcome rating.
		expect(judgedHistory(history, at(5), { outcome: true, alliance: false })).toHaveLength(3);
	});

	it('keeps an alliance below the cutoff through the start of the next session, and after a session without an alliance rating', () => {
		// Session 2's alliance 33 < 36. Session 3 has only its outcome rating.
		const i: RiskInput = { ...input([]), history, appointments: history.map((e) => ({ at: e.date, status: e.attendance })), episode: { start: '2026-11-02', transition: null } };
		expect(keys({ ...i, now: at(5) })).toContain('signal:alliance-below-cutoff');
		expect(keys({ ...i, now: at(120) })).toContain('signal:alliance-below-cutoff');
		const c = riskConditions({ ...i, now: at(120) }).find((x) => x.key === 'signal:alliance-below-cutoff')!;
		expect(c.params).toMatchObject({ session: 2, total: 33 });
	});
});
