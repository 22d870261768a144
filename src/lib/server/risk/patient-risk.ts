import type { Db } from '../db';
import { type Patient } from '../db/schema';
import { activeTeamMembers } from '../admin/team-lead';
import type { RecordEpisode } from '../patients';
import { osloDate } from '../appointments';
import { answersInForce, currentAbsencePlan, lastReviewed } from './checklist';
import { episodeActions, episodeFlags, isOverdue, type ActionView, type FlagView } from './flags';
import { KIND_ORDER } from './caseload';
import { milestoneIntervalDays, sessionIntervalDays, type RiskConfig } from './config';
import { allianceIsWeak, factorFromData, flagKind } from '$lib/domain/risk';
import { ageFromBirthYear } from '$lib/domain/age';
import { textFor } from '$lib/domain/localized';
import { checklistLabels } from '$lib/domain/checklist';
import type { Registry } from '$lib/domain/registry';
import { historyOf, measuresOf, signalThresholds } from '../trajectory';
import { flagWords } from '$lib/risk/words';
import type { FactorView, FlagGroupView, PatientRiskView, RiskActionView, RiskFlagView } from '$lib/risk/types';

const DAY_MS = 86_400_000;

/** The clinicians of a team, by name: the people an action can be given to. */
export function teamMembers(db: Db, teamId: number): { id: number; name: string }[] {
	// Every picker of the team (responsible clinician, action owner, presenter) offers only active members.
	return activeTeamMembers(db, teamId);
}

/**
 * Everything the patient page's drop-out section shows for the current episode, in the reader's
 * language. It only reads: the flags were brought up to date when the episode's data last changed
 * (a rating, an attendance, a checklist review, the plan) and by the sweep, which raises what time
 * alone brings.
 */
export function patientRiskView(db: Db, registry: Registry, config: RiskConfig, patient: Patient, episode: RecordEpisode, now: Date, language: string): PatientRiskView {
	const open = episode.actualEnd === null;
	const answers = answersInForce(db, [episode.id]).get(episode.id);
	const age = ageFromBirthYear(patient.birthYear, now);
	const thresholds = signalThresholds(measuresOf(episode, registry, patient.birthYear, now));
	const weak = thresholds === null ? false : allianceIsWeak(historyOf(episode.appointments), thresholds, null, now);
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
	const actionView = (x: ActionView): RiskActionView => ({
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
	});
	const flags = episodeFlags(db, episode.id).map((f) => flagView(f, labels.factor, actionView));
	return {
		episodeId: episode.id,
		open,
		source: readableSource(config.checklist.source),
		factors,
		lastReviewed: reviewed === null ? null : { at: reviewed.toISOString(), by: reviewer ?? '' },
		reviewDue: open && (reviewed === null || now.getTime() - reviewed.getTime() > milestoneDays * DAY_MS),
		milestoneDays,
		absencePlan: plan === null ? null : { agreement: plan.agreement, recordedBy: plan.recordedBy, recordedAt: plan.recordedAt.toISOString() },
		flags,
		groups: flagGroups(
			flags.filter((f) => f.resolvedAt === null),
			episodeActions(db, episode.id),
			actionView
		),
		earlier: flags.filter((f) => f.resolvedAt !== null),
		actions: config.checklist.actions.map((x) => ({ key: x.key, label: textFor(x.label, language) })),
		members: teamMembers(db, patient.teamId),
		responsibleId: episode.responsibleId,
		sessionIntervalDays: sessionIntervalDays(episode),
		today
	};
}

function flagView(f: FlagView, factorLabel: (key: string) => string | null, actionView: (x: ActionView) => RiskActionView): RiskFlagView {
	const words = flagWords(f, factorLabel);
	return {
		id: f.id,
		key: f.key,
		source: f.source,
		kind: flagKind(f.source, f.rule),
		rule: f.rule,
		rulesVersion: f.rulesVersion,
		params: f.params,
		words: words.raised,
		raisedWords: words.raised,
		nowWords: f.resolvedAt === null ? words.now : null,
		raisedAt: f.raisedAt.toISOString(),
		acknowledgedBy: f.acknowledgedBy,
		acknowledgedAt: f.acknowledgedAt?.toISOString() ?? null,
		resolvedAt: f.resolvedAt?.toISOString() ?? null,
		resolution: f.resolution,
		closedBy: f.closedBy,
		closeReason: f.closeReason,
		actions: f.actions.map(actionView)
	};
}

/**
 * The open flags by domain, one card each, in the caseload's order: who saw them (every flag
 * seen, the latest time), and the actions agreed on the card or on one of its flags.
 */
export function flagGroups(open: readonly RiskFlagView[], actions: readonly ActionView[], actionView: (x: ActionView) => RiskActionView): FlagGroupView[] {
	const groups: FlagGroupView[] = [];
	for (const kind of KIND_ORDER) {
		const mine = open.filter((f) => f.kind === kind);
		if (mine.length === 0) continue;
		const ids = new Set(mine.map((f) => f.id));
		const unseen = mine.filter((f) => f.acknowledgedAt === null).length;
		const names = [...new Set(mine.map((f) => f.acknowledgedBy).filter((n): n is string => n !== null))].join(', ');
		const at =
			mine
				.map((f) => f.acknowledgedAt ?? '')
				.sort()
				.at(-1) ?? '';
		groups.push({
			kind,
			flags: mine,
			unseen,
			seenBy: unseen === 0 ? { names, at } : null,
			actions: actions.filter((a) => a.flagKind === kind || (a.flagId !== null && ids.has(a.flagId))).map(actionView)
		});
	}
	return groups;
}

/**
 * A source as a reader can use it: the published references, without the repository's own file
 * names (`docs/clinical/dropout-and-milestones.md`, a checklist file) that mean nothing on a clinic's page.
 * @example readableSource('Brorson et al. 2013; docs/clinical/dropout-and-milestones.md') // 'Brorson et al. 2013'
 */
export function readableSource(source: string): string {
	const parts = source
		.split(';')
		.map((p) => p.trim())
		.filter((p) => p !== '' && !/^[\w./-]+\.(md|json|ya?ml|txt)$/i.test(p));
	return parts.length > 0 ? parts.join('; ') : source;
}
