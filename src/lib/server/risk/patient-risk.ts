import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db';
import { teamMemberships, users, type Patient } from '../db/schema';
import type { RecordEpisode } from '../patients';
import { osloDate } from '../appointments';
import { answersInForce, currentAbsencePlan, lastReviewed } from './checklist';
import { episodeFlags, isOverdue, syncRecords } from './flags';
import { milestoneIntervalDays, sessionIntervalDays, type RiskConfig } from './config';
import { allianceIsWeak, factorFromData, flagKind } from '$lib/domain/risk';
import { ageFromBirthYear } from '$lib/domain/age';
import { textFor } from '$lib/domain/localized';
import { checklistLabels } from '$lib/domain/checklist';
import type { Registry } from '$lib/domain/registry';
import { historyOf, measuresOf, signalThresholds } from '../trajectory';
import { flagText } from '$lib/risk/words';
import type { FactorView, PatientRiskView } from '$lib/risk/types';

const DAY_MS = 86_400_000;

/** The clinicians of a team, by name: the people an action can be given to. */
export function teamMembers(db: Db, teamId: number): { id: number; name: string }[] {
	return db
		.select({ id: users.id, name: users.displayName })
		.from(teamMemberships)
		.innerJoin(users, eq(users.id, teamMemberships.userId))
		.where(eq(teamMemberships.teamId, teamId))
		.orderBy(asc(users.displayName))
		.all();
}

/**
 * Everything the patient page's drop-out section shows for the current episode, in the reader's
 * language. The episode's flags are brought up to date first (cheap for one episode), so the page
 * never shows a flag whose condition has cleared.
 */
export function patientRiskView(db: Db, registry: Registry, config: RiskConfig, patient: Patient, episode: RecordEpisode, now: Date, language: string): PatientRiskView {
	const open = episode.actualEnd === null;
	syncRecords(db, registry, config, [{ record: episode, patientId: patient.id, birthYear: patient.birthYear }], now);
	const answers = answersInForce(db, [episode.id]).get(episode.id);
	const age = ageFromBirthYear(patient.birthYear, now);
	const thresholds = signalThresholds(measuresOf(episode, registry, patient.birthYear, now));
	const weak = thresholds === null ? false : allianceIsWeak(historyOf(episode.appointments), thresholds, null);
	const factors: FactorView[] = config.checklist.factors.map((f) => {
		const given = answers?.get(f.key);
		const answer = given?.answer ?? 'unknown';
		const data = factorFromData(f, answer, age, weak);
		let fromData: string | null = null;
		if (f.fromData?.kind === 'age-under' && age !== null) fromData = 'age';
		if (f.fromData?.kind === 'alliance' && weak) fromData = 'alliance';
		return {
			key: f.key,
			label: textFor(f.label, language),
			advice: textFor(f.advice, language),
			answer,
			note: given?.note ?? '',
			date: given?.factorDate ?? null,
			hasDate: f.hasDate === true,
			fromData,
			effective: data.answer,
			assessedBy: given?.assessedBy ?? null,
			assessedAt: given?.assessedAt.toISOString() ?? null
		};
	});
	const reviewed = lastReviewed(answers);
	const reviewer = reviewed === null ? null : ([...(answers?.values() ?? [])].find((x) => x.assessedAt.getTime() === reviewed.getTime())?.assessedBy ?? null);
	const milestoneDays = milestoneIntervalDays(episode, config);
	const today = osloDate(now);
	const plan = currentAbsencePlan(db, episode.id);
	const labels = checklistLabels(config.checklist, language);
	return {
		episodeId: episode.id,
		open,
		source: config.checklist.source,
		factors,
		lastReviewed: reviewed === null ? null : { at: reviewed.toISOString(), by: reviewer ?? '' },
		reviewDue: open && (reviewed === null || now.getTime() - reviewed.getTime() > milestoneDays * DAY_MS),
		milestoneDays,
		absencePlan: plan === null ? null : { agreement: plan.agreement, recordedBy: plan.recordedBy, recordedAt: plan.recordedAt.toISOString() },
		flags: episodeFlags(db, episode.id).map((f) => ({
			id: f.id,
			key: f.key,
			source: f.source,
			kind: flagKind(f.source, f.rule),
			rule: f.rule,
			rulesVersion: f.rulesVersion,
			params: f.params,
			words: flagText(f, labels.factor),
			raisedAt: f.raisedAt.toISOString(),
			acknowledgedBy: f.acknowledgedBy,
			acknowledgedAt: f.acknowledgedAt?.toISOString() ?? null,
			resolvedAt: f.resolvedAt?.toISOString() ?? null,
			resolution: f.resolution,
			actions: f.actions.map((x) => ({
				id: x.id,
				actionKey: x.actionKey,
				actionLabel: labels.action(x.actionKey),
				note: x.note,
				owner: x.owner,
				dueDate: x.dueDate,
				overdue: isOverdue(x, today),
				createdBy: x.createdBy,
				createdAt: x.createdAt.toISOString(),
				outcome: x.outcome,
				outcomeBy: x.outcomeBy,
				outcomeAt: x.outcomeAt?.toISOString() ?? null
			}))
		})),
		actions: config.checklist.actions.map((x) => ({ key: x.key, label: textFor(x.label, language) })),
		members: teamMembers(db, patient.teamId),
		responsibleId: episode.responsibleId,
		sessionIntervalDays: sessionIntervalDays(episode),
		today
	};
}
