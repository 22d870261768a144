/**
 * Trajectory shapes for the demo clinic: the courses clinicians meet, as functions of the
 * session number. Demo data only — nothing clinical is computed from these.
 */
export const shapes = ['steady_improvement', 'early_then_plateau', 'no_change', 'deterioration', 'alliance_sag_dropout', 'missed_appointments'] as const;
export type Shape = (typeof shapes)[number];

export interface ShapePlan {
	/** Outcome total (0–40) expected at session t (1 = intake), before noise. */
	outcome(t: number, sessions: number): number;
	/** Alliance total (0–40) expected at session t, before noise. */
	alliance(t: number, sessions: number): number;
	/** Chance that a scheduled appointment is missed (no-show or late cancellation). */
	missRate: number;
	/** Whether the episode ends in drop-out. */
	dropsOut: boolean;
}

export function planFor(shape: Shape, intake: number): ShapePlan {
	switch (shape) {
		case 'steady_improvement':
			return {
				outcome: (t, n) => intake + (Math.min(36, intake + 14) - intake) * ((t - 1) / Math.max(1, n - 1)),
				alliance: () => 37.5,
				missRate: 0.05,
				dropsOut: false
			};
		case 'early_then_plateau':
			return {
				outcome: (t) => intake + 8 * (1 - Math.exp(-(t - 1) / 1.5)),
				alliance: () => 37,
				missRate: 0.08,
				dropsOut: false
			};
		case 'no_change':
			return { outcome: () => intake, alliance: () => 35.5, missRate: 0.12, dropsOut: false };
		case 'deterioration':
			return {
				outcome: (t) => intake - 0.9 * (t - 1),
				alliance: (t) => 36.5 - 0.3 * (t - 1),
				missRate: 0.1,
				dropsOut: false
			};
		case 'alliance_sag_dropout':
			return {
				outcome: (t) => intake + 0.6 * (t - 1),
				alliance: (t, n) => (t < n - 3 ? 37.5 : 37.5 - 2.2 * (t - (n - 4))),
				missRate: 0.2,
				dropsOut: true
			};
		case 'missed_appointments':
			return {
				outcome: (t) => intake + 0.4 * (t - 1),
				alliance: () => 36,
				missRate: 0.38,
				dropsOut: false
			};
	}
}
