import { readFileSync } from 'node:fs';
import { DEFAULT_ATTENDANCE_CONFIG, type AttendanceConfig } from '$lib/domain/attendance-signals';
import { DEFAULT_CHECKLIST, validateChecklist, type Checklist } from '$lib/domain/checklist';
import { CHECKPOINT_CHANGE_APPROACH_SESSION, CHECKPOINT_DISCUSS_SESSION, DEFAULT_SESSION_INTERVAL_DAYS } from '$lib/domain/clinical-constants';
import type { CheckpointConfig } from '$lib/domain/checkpoints';
import { milestoneInterval, type Setting } from '$lib/domain/milestones';
import { getConfig, resetConfig } from '../config';

/**
 * The drop-out settings of an installation: the checklist (STEMME_CHECKLIST names a JSON file
 * that replaces the built-in one), the attendance thresholds and how often every open episode is
 * evaluated again, and the sessions of the rule checkpoints. Read and checked once at start; a bad
 * value stops the server with a message that names the variable.
 */
export interface RiskConfig {
	checklist: Checklist;
	attendance: Omit<AttendanceConfig, 'plannedIntervalDays'>;
	/** Minutes between evaluations of every open episode (time alone raises long-gap and transition flags). */
	sweepMinutes: number;
	/** Days between milestone meetings per setting (every fourth week unless configured; never beyond the pathway's minimum). */
	milestoneDays: Record<Setting, number>;
	/** Sessions of the rule checkpoints (docs/clinical/change.md: "the session numbers are configuration"). */
	checkpoints: Omit<CheckpointConfig, 'rci'>;
}

export class RiskConfigError extends Error {}

type Env = Readonly<Record<string, string | undefined>>;

function numberFrom(env: Env, name: string, fallback: number, check: (n: number) => boolean, what: string): number {
	const raw = env[name];
	if (raw === undefined || raw.trim() === '') return fallback;
	const n = Number(raw);
	if (!Number.isFinite(n) || !check(n)) throw new RiskConfigError(`${name}="${raw}" must be ${what}.`);
	return n;
}

const wholeDays = (n: number) => Number.isInteger(n) && n >= 1 && n <= 365;

/** Reads the settings from `env` (see ../config.ts). Throws RiskConfigError naming the variable. */
export function riskConfigFrom(env: Env): RiskConfig {
	let checklist = DEFAULT_CHECKLIST;
	const file = env.STEMME_CHECKLIST;
	if (file !== undefined && file.trim() !== '') {
		let data: unknown;
		try {
			data = JSON.parse(readFileSync(file, 'utf8'));
		} catch (e) {
			throw new RiskConfigError(`STEMME_CHECKLIST: cannot read ${file} as JSON (${(e as Error).message}).`);
		}
		const result = validateChecklist(data, `STEMME_CHECKLIST (${file})`);
		if (!result.ok) throw new RiskConfigError(result.errors.join('\n'));
		checklist = result.value;
	}
	return {
		checklist,
		attendance: {
			windowDays: numberFrom(env, 'STEMME_MISSED_WINDOW_DAYS', DEFAULT_ATTENDANCE_CONFIG.windowDays, wholeDays, 'a whole number of days, 1–365'),
			missedInWindow: numberFrom(env, 'STEMME_MISSED_IN_WINDOW', DEFAULT_ATTENDANCE_CONFIG.missedInWindow, (n) => Number.isInteger(n) && n >= 1 && n <= 50, 'a whole number, 1–50'),
			missedShare: numberFrom(env, 'STEMME_MISSED_SHARE', DEFAULT_ATTENDANCE_CONFIG.missedShare, (n) => n > 0 && n < 1, 'a share between 0 and 1, like 0.33'),
			missedShareMinAppointments: numberFrom(
				env,
				'STEMME_MISSED_SHARE_MIN',
				DEFAULT_ATTENDANCE_CONFIG.missedShareMinAppointments,
				(n) => Number.isInteger(n) && n >= 1 && n <= 100,
				'a whole number, 1–100'
			),
			transitionWithinDays: numberFrom(env, 'STEMME_TRANSITION_DAYS', DEFAULT_ATTENDANCE_CONFIG.transitionWithinDays, wholeDays, 'a whole number of days, 1–365')
		},
		sweepMinutes: numberFrom(env, 'STEMME_FLAG_SWEEP_MINUTES', 15, (n) => Number.isInteger(n) && n >= 1 && n <= 1440, 'a whole number of minutes, 1–1440'),
		milestoneDays: {
			outpatient: milestoneDaysFrom(env, 'outpatient'),
			inpatient: milestoneDaysFrom(env, 'inpatient'),
			group: milestoneDaysFrom(env, 'group')
		},
		checkpoints: checkpointsFrom(env)
	};
}

const DISCUSS = 'STEMME_CHECKPOINT_DISCUSS_SESSION';
const CHANGE = 'STEMME_CHECKPOINT_CHANGE_SESSION';

/** The checkpoint sessions: whole session numbers from 2 (1 is the intake), change after discuss. */
function checkpointsFrom(env: Env): RiskConfig['checkpoints'] {
	const laterSession = (n: number) => Number.isInteger(n) && n >= 2;
	const what = 'a whole session number from 2 (session 1 is the intake)';
	const discussSession = numberFrom(env, DISCUSS, CHECKPOINT_DISCUSS_SESSION, laterSession, what);
	const changeApproachSession = numberFrom(env, CHANGE, CHECKPOINT_CHANGE_APPROACH_SESSION, laterSession, what);
	if (changeApproachSession <= discussSession) {
		throw new RiskConfigError(`${CHANGE} (${changeApproachSession}) must be a later session than ${DISCUSS} (${discussSession}).`);
	}
	return { discussSession, changeApproachSession };
}

function milestoneDaysFrom(env: Env, setting: Setting): number {
	const name = `STEMME_MILESTONE_DAYS_${setting.toUpperCase()}`;
	const raw = env[name];
	const configured = raw === undefined || raw.trim() === '' ? {} : { [setting]: Number(raw) };
	const result = milestoneInterval(setting, configured);
	if (!result.ok) throw new RiskConfigError(`${name}="${raw}" must be a whole number of days from 7 to ${result.max} (the pathway's longest interval for this setting).`);
	return result.days;
}

/** The installation's settings: the risk part of the one configuration (../config.ts). */
export function getRiskConfig(): RiskConfig {
	return getConfig().risk;
}

/** Forgets the kept settings (tests). */
export function resetRiskConfig(): void {
	resetConfig();
}

/** The planned days between sessions: the episode's own, else the setting's default. */
export function sessionIntervalDays(episode: { setting: Setting; sessionIntervalDays: number | null }): number {
	return episode.sessionIntervalDays ?? DEFAULT_SESSION_INTERVAL_DAYS[episode.setting];
}

/** Days between milestone meetings: the episode's own, else the setting's. */
export function milestoneIntervalDays(episode: { setting: Setting; milestoneIntervalDays: number | null }, config: Pick<RiskConfig, 'milestoneDays'>): number {
	return episode.milestoneIntervalDays ?? config.milestoneDays[episode.setting];
}
