// Builds the database of a load run or fault test before the server starts: the real migrations
// (the app's own openDatabase), a clinic (the demo clinic, or a bulk clinic of thousands of
// episodes), tablets handed over many times, and staff sessions.
import { statSync } from 'node:fs';
import { openDatabase } from '../../src/lib/server/db/open';
import { generateBulkClinic, type BulkClinic } from '../lib/bulk-clinic';
import { seedDemoClinic } from '../../src/lib/server/demo/seed';
import { createLoadTablets, createStaffSessions, type LoadClinician, type LoadTablet } from './actors';

export interface PrepareOptions {
	/** 'demo' for the 40-patient demo clinic (sign-in as in the README), or a bulk clinic's size. */
	clinic: 'demo' | { active: number; closed: number };
	tablets: number;
	/** Ratings each tablet can submit (one handoff and appointment each). */
	capacity: number;
	staff: number;
	now: Date;
}

export interface PreparedDatabase {
	tablets: LoadTablet[];
	staff: LoadClinician[];
	clinic: BulkClinic['counts'] | null;
	seconds: number;
	bytes: number;
}

export async function prepareLoadDatabase(path: string, o: PrepareOptions): Promise<PreparedDatabase> {
	const started = performance.now();
	const db = openDatabase(path);
	try {
		let clinic: PreparedDatabase['clinic'] = null;
		if (o.clinic === 'demo') await seedDemoClinic(db, o.now);
		else clinic = generateBulkClinic(db, { activeEpisodes: o.clinic.active, closedEpisodes: o.clinic.closed, now: o.now }).counts;
		const organisationId = (db.$client.prepare('SELECT min(id) AS id FROM organisations').get() as { id: number }).id;
		const tablets = createLoadTablets(db, { organisationId, count: o.tablets, capacity: o.capacity, now: o.now });
		const staff = createStaffSessions(db, { count: o.staff, patientsEach: 20, now: o.now });
		db.$client.pragma('wal_checkpoint(TRUNCATE)');
		return { tablets, staff, clinic, seconds: (performance.now() - started) / 1000, bytes: statSync(path).size };
	} finally {
		db.$client.close();
	}
}
