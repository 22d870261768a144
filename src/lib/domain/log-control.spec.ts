import { describe, expect, it } from 'vitest';
import { DEFAULT_LOG_CONTROL_RULES, isNight, manyRecords, osloHour, unusualAccess, type RecordAccess } from './log-control';

const at = (iso: string) => new Date(iso);
let next = 1;
const read = (userId: number, patientId: number, iso: string): RecordAccess => ({ eventId: next++, userId, patientId, at: at(iso) });

describe('osloHour and isNight (Europe/Oslo: UTC+1 in winter, UTC+2 in summer)', () => {
	it.each([
		['2026-12-03T21:00:00Z', 22, true], // 22:00 in Oslo: night begins
		['2026-12-03T20:59:00Z', 21, false],
		['2026-12-03T23:30:00Z', 0, true],
		['2026-12-04T04:59:00Z', 5, true],
		['2026-12-04T05:00:00Z', 6, false], // 06:00: day again
		['2026-07-01T04:30:00Z', 6, false], // summer: 06:30
		['2026-07-01T03:30:00Z', 5, true]
	] as const)('%s is %i o’clock, night %s', (iso, hour, night) => {
		expect(osloHour(at(iso))).toBe(hour);
		expect(isNight(at(iso), DEFAULT_LOG_CONTROL_RULES)).toBe(night);
	});

	it('a night that does not cross midnight', () => {
		expect([1, 2, 3].map((h) => isNight(at(`2026-12-03T0${h - 1}:30:00Z`), { nightFromHour: 1, nightToHour: 3 }))).toEqual([true, true, false]);
	});
});

describe('manyRecords', () => {
	const rules = { burstPatients: 3, burstMinutes: 10 };

	it('three different patients within 10 minutes is one finding; the same patient thrice is not', () => {
		const reads = [
			read(1, 11, '2026-12-03T09:00:00Z'),
			read(1, 12, '2026-12-03T09:04:00Z'),
			read(1, 13, '2026-12-03T09:09:59Z'),
			read(2, 11, '2026-12-03T09:00:00Z'),
			read(2, 11, '2026-12-03T09:01:00Z'),
			read(2, 11, '2026-12-03T09:02:00Z')
		];
		const found = manyRecords(reads, rules);
		expect(found.map((f) => [f.userId, f.reads, f.patients])).toEqual([[1, 3, 3]]);
		expect(found[0]!.eventIds).toEqual(reads.slice(0, 3).map((r) => r.eventId));
	});

	it('spread over more than the window, nothing; overlapping windows are joined', () => {
		expect(manyRecords([read(1, 11, '2026-12-03T09:00:00Z'), read(1, 12, '2026-12-03T09:06:00Z'), read(1, 13, '2026-12-03T09:10:00Z')], rules)).toEqual([]);
		// 09:00–09:09 has 11, 12, 13; 09:05–09:14 has 12, 13, 14: one run of four reads.
		const run = ['09:00', '09:05', '09:08', '09:13'].map((t, i) => read(3, 20 + i, `2026-12-03T${t}:00Z`));
		expect(manyRecords(run, rules).map((f) => [f.reads, f.patients])).toEqual([[4, 4]]);
		// Two runs an hour apart: two findings.
		const later = ['10:00', '10:01', '10:02'].map((t, i) => read(3, 30 + i, `2026-12-03T${t}:00Z`));
		expect(manyRecords([...run, ...later], rules).map((f) => f.reads)).toEqual([4, 3]);
	});
});

describe('unusualAccess', () => {
	it('sorts a month of reads into outside the team, many records and night, per user', () => {
		const own = new Map([
			[1, new Set([11, 12])],
			[2, new Set([21])]
		]);
		const reads = [
			read(1, 11, '2026-12-03T09:00:00Z'),
			read(1, 21, '2026-12-03T09:30:00Z'), // user 1 reads team 2's patient
			read(1, 21, '2026-12-04T10:00:00Z'),
			read(2, 21, '2026-12-03T22:15:00Z') // 23:15 in Oslo
		];
		const found = unusualAccess(reads, (u, p) => own.get(u)?.has(p) ?? false);
		expect(found.map((f) => [f.kind, f.userId, f.reads, f.patients])).toEqual([
			['outside_team', 1, 2, 1],
			['night', 2, 1, 1]
		]);
		expect(found[0]!.firstAt).toEqual(at('2026-12-03T09:30:00Z'));
	});

	it('the default thresholds: 20 patients in 10 minutes, 22:00 to 06:00', () => {
		expect(DEFAULT_LOG_CONTROL_RULES).toEqual({ burstPatients: 20, burstMinutes: 10, nightFromHour: 22, nightToHour: 6 });
		// 20 patients, one every 30 s from 10:00 UTC (11:00 in Oslo): 9.5 minutes from first to last.
		const reads = Array.from({ length: 20 }, (_, i) => read(5, 100 + i, new Date(Date.UTC(2026, 11, 3, 10, 0, 30 * i)).toISOString()));
		expect(unusualAccess(reads, () => true).map((f) => [f.kind, f.patients])).toEqual([['many_records', 20]]);
		expect(unusualAccess(reads.slice(1), () => true)).toEqual([]);
	});
});
