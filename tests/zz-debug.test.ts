import { expect, it } from 'vitest';
import { Client } from './support/http';
import { readDatabase } from './support/browser';
it('debug', async () => {
	const db = readDatabase();
	const one = (sql: string, ...p: unknown[]) => db.prepare(sql).get(...p) as { id: number };
	const kari = await new Client().signIn('kari');
	const made = await kari.post('/patients/new', { form: { team: String(one(`SELECT m.team_id AS id FROM team_memberships m JOIN users u ON u.id = m.user_id WHERE u.username = 'kari'`).id), displayName: 'Flytt Testesen', birthYear: '1988' } });
	console.log('made', made.status, made.location);
	const patientId = Number(made.location!.split('/')[2]);
	const teamB = one(`SELECT m.team_id AS id FROM team_memberships m JOIN users u ON u.id = m.user_id WHERE u.username = 'ingrid'`).id;
	const opened = await kari.post(`/patients/${patientId}/episodes/new`, { form: { team: String(one('SELECT team_id AS id FROM patients WHERE id = ?', patientId).id), setting: 'inpatient', startDate: '2026-11-13' } });
	console.log('opened', opened.status, opened.location, opened.body.match(/error-message[^<]*<[^>]*>[^<]*/g));
	const appointment = await kari.post(`/patients/${patientId}?/now`, { form: {} });
	console.log('appt', appointment.status, appointment.location);
	const t = await kari.post(`${opened.location}?/transition`, { form: { date: '2026-12-03', kind: 'team', toTeam: String(teamB), toSetting: 'outpatient' } });
	console.log('transition', t.status, t.body.slice(0, 300));
	expect(1).toBe(1);
});
