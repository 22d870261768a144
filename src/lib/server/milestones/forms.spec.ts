import { describe, expect, it } from 'vitest';
import { parseRecordForm } from './forms';

const TEAM = [
	{ id: 7, name: 'Kari Nordmann' },
	{ id: 9, name: 'Ola Hansen' }
];

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
		const parsed = parseRecordForm(form(next), [], '2026-12-02', setting, TEAM);
		expect(parsed.ok).toBe(ok);
		if (!parsed.ok) {
			// The refusal names the limit in days and weeks.
			const max = setting === 'inpatient' ? 42 : 56;
			expect(parsed.message).toContain(String(max));
			expect(parsed.message).toContain(String(max / 7));
		}
	});

	it('still refuses a next date that is not after today', () => {
		const parsed = parseRecordForm(form('2026-12-02'), [], '2026-12-02', 'outpatient', TEAM);
		expect(parsed).toMatchObject({ ok: false });
	});

	it('takes the day held as today unless an earlier day is given, and refuses a day to come, naming the field', () => {
		expect(parseRecordForm(new FormData(), [], '2026-12-02', 'outpatient', TEAM)).toMatchObject({ ok: true, value: { heldOn: '2026-12-02' } });
		const earlier = new FormData();
		earlier.set('heldOn', '2026-11-30');
		expect(parseRecordForm(earlier, [], '2026-12-02', 'outpatient', TEAM)).toMatchObject({ ok: true, value: { heldOn: '2026-11-30' } });
		const future = new FormData();
		future.set('heldOn', '2026-12-03');
		const refused = parseRecordForm(future, [], '2026-12-02', 'outpatient', TEAM);
		expect(refused).toMatchObject({ ok: false });
		if (!refused.ok) expect(refused.message).toMatch(/^Holdt den|^Held on|^Halde den/);
	});
});

describe('parseRecordForm: participants from the team and the actions agreed', () => {
	const fields = (entries: [string, string][]) => {
		const f = new FormData();
		for (const [k, v] of entries) f.append(k, v);
		return f;
	};
	/** The record form on 2026-12-02, outpatient, with the team above. */
	const parse = (entries: [string, string][]) => parseRecordForm(fields(entries), [], '2026-12-02', 'outpatient', TEAM);

	it('takes ticked team members by id, with others in free rows', () => {
		const parsed = parse([
			['member', '9'],
			['member', '7'],
			['role-0', 'Mor'],
			['name-0', 'Anne']
		]);
		expect(parsed).toMatchObject({
			ok: true,
			value: {
				participants: {
					people: [
						{ role: '', name: 'Ola Hansen', userId: 9 },
						{ role: '', name: 'Kari Nordmann', userId: 7 },
						{ role: 'Mor', name: 'Anne' }
					]
				}
			}
		});
	});

	it.each([[['8']], [['7', '7']], [['x']]])('refuses someone outside the team or twice (%j), naming the field', (ids) => {
		const parsed = parse(ids.map((id) => ['member', id]));
		expect(parsed).toEqual({ ok: false, message: 'Fra teamet har en ugyldig verdi.' });
	});

	it('keeps the actions filled in, skips empty rows', () => {
		const parsed = parse([
			['action-0-what', 'Ringe NAV om bolig'],
			['action-0-owner', '7'],
			['action-0-due', '2026-12-09'],
			['action-1-what', ''],
			['action-1-owner', ''],
			['action-1-due', ''],
			['action-2-what', 'Nettverksmøte'],
			['action-2-owner', '9'],
			['action-2-due', '2026-12-02']
		]);
		expect(parsed).toMatchObject({
			ok: true,
			value: {
				actions: [
					{ what: 'Ringe NAV om bolig', ownerId: 7, dueDate: '2026-12-09' },
					{ what: 'Nettverksmøte', ownerId: 9, dueDate: '2026-12-02' }
				]
			}
		});
	});

	it.each([
		{
			row: [
				['action-1-what', 'Ringe'],
				['action-1-due', '2026-12-09']
			],
			message: 'Ansvarlig 2 må fylles ut.'
		},
		{
			row: [
				['action-0-owner', '7'],
				['action-0-due', '2026-12-09']
			],
			message: 'Hva 1 må fylles ut.'
		},
		{
			row: [
				['action-0-what', 'Ringe'],
				['action-0-owner', '8'],
				['action-0-due', '2026-12-09']
			],
			message: 'Ansvarlig 1 har en ugyldig verdi.'
		},
		{
			row: [
				['action-2-what', 'Ringe'],
				['action-2-owner', '7']
			],
			message: 'Frist 3 må fylles ut.'
		},
		{
			row: [
				['action-0-what', 'Ringe'],
				['action-0-owner', '7'],
				['action-0-due', '2026-13-01']
			],
			message: 'Frist 1 har en ugyldig verdi.'
		},
		{
			row: [
				['action-0-what', 'Ringe'],
				['action-0-owner', '7'],
				['action-0-due', '2026-12-01']
			],
			message: 'Frist 1: fristen kan ikke være før i dag.'
		}
	] as { row: [string, string][]; message: string }[])('a begun row needs all three: $message', ({ row, message }) => {
		expect(parse(row)).toEqual({ ok: false, message });
	});
});
