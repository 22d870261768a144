import { describe, expect, it } from 'vitest';
import { parseRecordForm } from './forms';

const form = (nextDate: string): FormData => {
	const f = new FormData();
	f.set('nextDate', nextDate);
	return f;
};

describe('parseRecordForm: the next meeting within the pathway limit (docs/clinical/dropout-and-milestones.md)', () => {
	it.each([
		// 2026-12-02 + 42 = 2027-01-13 inpatient; + 56 = 2027-01-27 outpatient and group.
		{ setting: 'inpatient', next: '2027-01-13', ok: true },
		{ setting: 'inpatient', next: '2027-01-14', ok: false },
		{ setting: 'outpatient', next: '2027-01-14', ok: true },
		{ setting: 'outpatient', next: '2027-01-28', ok: false },
		{ setting: 'group', next: '2027-01-28', ok: false }
	] as const)('$setting, next $next → ok $ok', ({ setting, next, ok }) => {
		const parsed = parseRecordForm(form(next), [], '2026-12-02', setting);
		expect(parsed.ok).toBe(ok);
		if (!parsed.ok) {
			// The refusal names the limit in days and weeks.
			const max = setting === 'inpatient' ? 42 : 56;
			expect(parsed.message).toContain(String(max));
			expect(parsed.message).toContain(String(max / 7));
		}
	});

	it('still refuses a next date that is not after today', () => {
		const parsed = parseRecordForm(form('2026-12-02'), [], '2026-12-02', 'outpatient');
		expect(parsed).toMatchObject({ ok: false });
	});

	it('takes the day held as today unless an earlier day is given, and refuses a day to come, naming the field', () => {
		expect(parseRecordForm(new FormData(), [], '2026-12-02', 'outpatient')).toMatchObject({ ok: true, value: { heldOn: '2026-12-02' } });
		const earlier = new FormData();
		earlier.set('heldOn', '2026-11-30');
		expect(parseRecordForm(earlier, [], '2026-12-02', 'outpatient')).toMatchObject({ ok: true, value: { heldOn: '2026-11-30' } });
		const future = new FormData();
		future.set('heldOn', '2026-12-03');
		const refused = parseRecordForm(future, [], '2026-12-02', 'outpatient');
		expect(refused).toMatchObject({ ok: false });
		if (!refused.ok) expect(refused.message).toMatch(/^Holdt den|^Held on|^Halde den/);
	});
});
