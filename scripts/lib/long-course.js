// A long course of treatment added beside the demo clinic: one patient in the first team with
// an open outpatient episode of `sessions` weekly attended sessions, outcome and alliance rated
// every session. For the trajectory's speed measure (scripts/trajectory-perf.js) and the browser
// test that prints it on one A4 page. Write it with the server stopped (or not yet started).
import Database from 'better-sqlite3';

const WEEK_MS = 7 * 86_400_000;

/** Adds the patient to the database at `path`; returns the patient's id. */
export function addLongCourse(path, { sessions = 60, code = 'P-9060', now = Date.now() } = {}) {
	const db = new Database(path);
	try {
		const team = db.prepare('SELECT id, organisation_id FROM teams ORDER BY id LIMIT 1').get();
		const clinician = db.prepare('SELECT user_id FROM team_memberships WHERE team_id = ? LIMIT 1').get(team.id).user_id;
		const start = now - sessions * WEEK_MS;
		const id = db.transaction(() => {
			const patient = db
				.prepare("INSERT INTO patients (organisation_id, team_id, code, display_name, birth_year) VALUES (?, ?, ?, 'Lang Kurs', 1980)")
				.run(team.organisation_id, team.id, code).lastInsertRowid;
			const episode = db.prepare("INSERT INTO episodes (patient_id, start_date, setting) VALUES (?, ?, 'outpatient')").run(patient, new Date(start).toISOString().slice(0, 10)).lastInsertRowid;
			const appt = db.prepare("INSERT INTO appointments (episode_id, clinician_id, scheduled_at, status) VALUES (?, ?, ?, 'attended')");
			const rate = db.prepare(
				"INSERT INTO ratings (client_id, appointment_id, instrument_id, instrument_version, rater, item_values, total, source, submitted_at) VALUES (?, ?, ?, 1, 'patient', ?, ?, 'tablet', ?)"
			);
			for (let s = 0; s < sessions; s++) {
				const at = start + s * WEEK_MS;
				const a = appt.run(episode, clinician, at).lastInsertRowid;
				// A slow improvement with a small saw-tooth, items equal: total = 4 × item.
				const v = Math.round(Math.min(10, 4 + s * 0.08 + (s % 3) * 0.3) * 10) / 10;
				rate.run(`${code}-o-${s}`, a, 'stemme-outcome-adult', JSON.stringify({ self: v, close: v, daily: v, overall: v }), Math.round(v * 40) / 10, at);
				rate.run(`${code}-a-${s}`, a, 'stemme-alliance-adult', JSON.stringify({ heard: 9, goals: 9, approach: 9, overall: 9 }), 36, at);
			}
			return patient;
		})();
		return Number(id);
	} finally {
		db.close();
	}
}
