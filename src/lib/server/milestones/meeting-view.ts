import type { Db } from '../db';
import type { Patient } from '../db/schema';
import type { RecordEpisode } from '../patients';
import { trajectoryView, historyOf, type TrajectoryView } from '../trajectory';
import { patientRiskView, teamMembers } from '../risk/patient-risk';
import { answersAsOf, answerValues, answersInForce } from '../risk/checklist';
import type { RiskConfig } from '../risk/config';
import { episodeActions } from '../risk/flags';
import { osloDate } from '../appointments';
import { episodeMeetings, meetingVersions, type MeetingSummary } from './meetings';
import { currentDischargePlan, episodeGoals } from './plan';
import { attendanceSince, changeSince, checklistChanges, daysBetween, PATHWAY_QUESTIONS, type ChangeSince } from '$lib/domain/milestones';
import { textFor } from '$lib/domain/localized';
import type { Registry } from '$lib/domain/registry';
import type { PatientRiskView } from '$lib/risk/types';
import type { DischargePlanFields, MeetingRecord } from '../db/schema';

/** An episode is heading for its end when its planned end is within this many days (or passed). */
export const DISCHARGE_WITHIN_DAYS = 56;

export interface MeetingView {
	episodeId: number;
	episodeOpen: boolean;
	meeting: (MeetingSummary & { versionsList: (MeetingRecord & { recordedBy: string })[] }) | null;
	meetings: MeetingSummary[];
	lastHeld: MeetingSummary | null;
	trajectory: TrajectoryView;
	change: { sinceIntake: ChangeSince | null; sinceLast: ChangeSince | null };
	attendance: ReturnType<typeof attendanceSince>;
	checklistChanged: { key: string; label: string; from: string; to: string }[];
	risk: PatientRiskView;
	/** Open flags and those resolved since the last meeting, with what was done. */
	flagsSince: PatientRiskView['flags'];
	goals: { id: number; text: string; status: string; recordedBy: string; recordedAt: string; versions: number }[];
	questions: { key: string; text: string }[];
	presenters: { id: number; name: string }[];
	discharge: { due: boolean; plan: (DischargePlanFields & { recordedBy: string; recordedAt: string }) | null };
	meetingActions: ReturnType<typeof episodeActions>;
	today: string;
	/** How near the planned end the discharge plan is brought up. */
	dischargeWithinDays: number;
}

/**
 * Everything a milestone meeting looks at for the current episode, on one screen: the
 * course since the start with the previous meeting marked, change since intake and since the last
 * meeting, attendance since then, the checklist with what changed, the flags and what was done,
 * the goals, the pathway's questions and, near the end, the discharge plan.
 * `meetingId` picks a meeting of the episode; otherwise the planned one (or none yet).
 */
export function meetingView(db: Db, registry: Registry, config: RiskConfig, patient: Patient, episode: RecordEpisode, meetingId: number | null, now: Date, language: string): MeetingView {
	const today = osloDate(now);
	const meetings = episodeMeetings(db, episode.id);
	const chosen = meetingId !== null ? (meetings.find((m) => m.id === meetingId) ?? null) : (meetings.find((m) => m.heldAt === null) ?? null);
	// The meeting before this one: the newest held meeting other than the chosen one, dated before it.
	const before = meetings.filter((m) => m.heldAt !== null && m.id !== chosen?.id && (chosen === null || m.scheduledDate <= chosen.scheduledDate));
	const lastHeld = before.at(-1) ?? null;
	const trajectory = trajectoryView(db, registry, episode, patient.birthYear, now, language, config.checkpoints);
	const history = historyOf(episode.appointments);
	const t = trajectory.outcome !== null && trajectory.outcome.rci !== null ? { cutoff: trajectory.outcome.cutoff, rci: trajectory.outcome.rci } : null;
	const lastSessionAt = (date: string) => history.filter((e) => e.date.slice(0, 10) <= date).at(-1)?.session ?? 0;
	const risk = patientRiskView(db, registry, config, patient, episode, now, language);
	const nowAnswers = answerValues(answersInForce(db, [episode.id]).get(episode.id));
	const thenAnswers = lastHeld === null ? {} : answersAsOf(db, episode.id, lastHeld.scheduledDate);
	const label = (key: string) => risk.factors.find((f) => f.key === key)?.label ?? key;
	const since = lastHeld?.scheduledDate ?? null;
	const plan = currentDischargePlan(db, episode.id);
	const responsible = episode.responsibleId;
	return {
		episodeId: episode.id,
		episodeOpen: episode.actualEnd === null,
		meeting: chosen === null ? null : { ...chosen, versionsList: meetingVersions(db, chosen.id) },
		meetings,
		lastHeld,
		trajectory,
		change: {
			sinceIntake: t === null ? null : changeSince(history, 1, t),
			sinceLast: t === null || since === null ? null : changeSince(history, lastSessionAt(since), t)
		},
		attendance: attendanceSince(
			episode.appointments.map((a) => ({ at: a.scheduledAt.toISOString(), status: a.status })),
			since,
			now
		),
		checklistChanged: lastHeld === null ? [] : checklistChanges(thenAnswers, nowAnswers).map((c) => ({ ...c, label: label(c.key) })),
		risk,
		flagsSince: risk.flags.filter((f) => f.resolvedAt === null || since === null || f.resolvedAt.slice(0, 10) >= since),
		goals: episodeGoals(db, episode.id).map((g) => ({ ...g, recordedAt: g.recordedAt.toISOString() })),
		questions: PATHWAY_QUESTIONS.map((q) => ({ key: q.key, text: textFor(q.text, language) })),
		presenters: teamMembers(db, patient.teamId).filter((m) => m.id !== responsible),
		discharge: {
			due: episode.actualEnd !== null || plan !== null || (episode.plannedEnd !== null && daysBetween(today, episode.plannedEnd) <= DISCHARGE_WITHIN_DAYS),
			plan: plan === null ? null : { ...plan.plan, recordedBy: plan.recordedBy, recordedAt: plan.recordedAt.toISOString() }
		},
		meetingActions: chosen === null ? [] : episodeActions(db, episode.id).filter((a) => a.meetingId === chosen.id),
		today,
		dischargeWithinDays: DISCHARGE_WITHIN_DAYS
	};
}
