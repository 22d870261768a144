import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { smallClinic } from '../test/fixtures';
import { auditEvents } from '../db/schema';
import { recordAudit } from '../audit';
import * as audit from '../audit';
import { AUDIT_PAGE_SIZE, auditFiltersFrom, readAuditLog, type AuditFilters } from './audit-log';

const t0 = new Date('2026-11-23T08:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const none: AuditFilters = { userId: null, patientCode: null, action: null, from: null, to: null };

describe('the audit log page', () => {
	it('filters by user, patient code, action and Oslo calendar days, newest first', () => {
		const c = smallClinic();
		recordAudit(c.db, { userId: c.users.clinicianA.id, action: 'viewed_patient', patientId: c.patientA, address: null }, at(0));
		recordAudit(c.db, { userId: c.users.clinicianB.id, action: 'viewed_patient', patientId: c.patientB, address: null }, at(1));
		recordAudit(c.db, { userId: c.users.clinicianA.id, action: 'printed', patientId: c.patientA, address: null }, at(2));
		// 23:30 UTC on the 23rd is 00:30 on the 24th in Oslo (UTC+1 in November).
		recordAudit(c.db, { userId: null, action: 'failed_sign_in', detail: 'user: <script>', address: null }, new Date('2026-11-23T23:30:00Z'));
		const org = c.users.admin.organisationId;
		const codes = (f: Partial<AuditFilters>) => readAuditLog(c.db, org, { ...none, ...f }, 1).rows.map((r) => `${r.action}:${r.patientCode ?? '-'}`);
		expect(codes({})).toEqual(['failed_sign_in:-', 'printed:A-1', 'viewed_patient:B-1', 'viewed_patient:A-1']);
		expect(codes({ userId: c.users.clinicianA.id })).toEqual(['printed:A-1', 'viewed_patient:A-1']);
		expect(codes({ patientCode: 'B-1' })).toEqual(['viewed_patient:B-1']);
		expect(codes({ action: 'printed' })).toEqual(['printed:A-1']);
		expect(codes({ from: '2026-11-24' })).toEqual(['failed_sign_in:-']);
		expect(codes({ to: '2026-11-23' })).toHaveLength(3);
		// Another organisation's admin sees only the installation's anonymous events.
		expect(readAuditLog(c.db, org + 1, none, 1).rows.map((r) => r.action)).toEqual(['failed_sign_in']);
	});

	it(`pages by ${AUDIT_PAGE_SIZE}`, () => {
		const c = smallClinic();
		for (let i = 0; i < AUDIT_PAGE_SIZE + 5; i++) recordAudit(c.db, { userId: c.users.admin.id, action: 'viewed_patient_list', address: null }, at(i));
		const first = readAuditLog(c.db, c.users.admin.organisationId, none, 1);
		const second = readAuditLog(c.db, c.users.admin.organisationId, none, 2);
		expect([first.total, first.pages, first.rows.length, second.rows.length]).toEqual([AUDIT_PAGE_SIZE + 5, 2, AUDIT_PAGE_SIZE, 5]);
		expect(second.rows.at(-1)?.at).toEqual(at(0));
		// A page past the end shows the last page.
		expect(readAuditLog(c.db, c.users.admin.organisationId, none, 99).page).toBe(2);
	});

	it('reads filters from the address and ignores what is malformed', () => {
		const params = new URLSearchParams({ user: '3', patient: ' P-1001 ', action: 'printed', from: '2026-11-01', to: 'yesterday', page: '2' });
		expect(auditFiltersFrom(params)).toEqual({ filters: { userId: 3, patientCode: 'P-1001', action: 'printed', from: '2026-11-01', to: null }, page: 2 });
		expect(auditFiltersFrom(new URLSearchParams({ user: '1 or 1=1', action: 'drop', page: '-1' }))).toEqual({ filters: none, page: 1 });
	});
});

describe('the audit trail is append-only', () => {
	it('the database refuses UPDATE and DELETE of an event', () => {
		const c = smallClinic();
		recordAudit(c.db, { userId: c.users.clinicianA.id, action: 'viewed_patient', patientId: c.patientA, address: null }, t0);
		expect(() => c.db.$client.prepare("UPDATE audit_events SET detail = 'x'").run()).toThrow(/append-only/);
		expect(() => c.db.$client.prepare('DELETE FROM audit_events').run()).toThrow(/append-only/);
		expect(() => c.db.delete(auditEvents).run()).toThrow(/append-only/);
		expect(c.db.select().from(auditEvents).all()).toHaveLength(1);
	});

	it('the audit module exports only the function that appends', () => {
		expect(Object.keys(audit)).toEqual(['recordAudit']);
	});

	it('no application code updates or deletes audit events', () => {
		const files = (dir: string): string[] =>
			readdirSync(dir).flatMap((n) => {
				const p = join(dir, n);
				return statSync(p).isDirectory() ? files(p) : /\.(ts|svelte)$/.test(n) && !n.endsWith('.spec.ts') ? [p] : [];
			});
		const offenders = ['src/lib', 'src/routes', 'scripts']
			.flatMap(files)
			.filter((f) => /\.(update|delete)\(\s*auditEvents\b|\b(update|delete\s+from)\s+[`"']?audit_events\b/i.test(readFileSync(f, 'utf8')))
			// The chain's own two updates, the only ones the trigger allows: filling in the chain of
			// rows written before it, and removing an erased patient's details.
			.filter((f) => f !== join('src', 'lib', 'server', 'audit-chain.ts'));
		expect(offenders).toEqual([]);
	});
});
