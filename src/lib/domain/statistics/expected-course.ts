/** One closed, measured episode against the expected course at its last rated session. */
export interface CourseEpisode {
	intake: number;
	last: number;
	/** The outcome cutoff for the patient's age band: an intake under it is in the clinical range. */
	cutoff: number;
	/** The expected and target score at the last rated session for this intake (expected-score.ts); null without a model or table. */
	expected: { expected: number; target: number } | null;
}

export interface CourseFigures {
	/** Episodes judged against an expected course. */
	withCourse: number;
	/** Of those, whose last score is at or above the target line (the successful zone). */
	reachedTarget: number;
	/** Clinical-range intakes with an expected course: the severity-adjusted effect is computed on these. */
	clinical: number;
	/** Mean of (last − expected) over the clinical-range episodes, points; null without any. */
	meanResidual: number | null;
	/** Sample SD of their intakes (n − 1); null below two. */
	sdIntake: number | null;
	/** Mean residual / SD of intake: 0 = changed as much as the expected course predicts for these intakes and session counts; null where SD is null or 0. */
	residualEffect: number | null;
}

/**
 * Share reaching the expected-course target, and the severity-adjusted effect size as residualised
 * gain (docs/clinical/statistics.md, "Severity-adjusted effect size"; ACORN, OpenFIT's ESSA): the
 * mean difference between each episode's last score and the score the expected course gives for
 * its intake and number of sessions, divided by the SD of intake, on clinical-range intakes only.
 * The expected course is fitted on this installation's own episodes (or a licensed table), so it
 * is reported relative to that reference (0 = as expected); there is no outside reference mean effect to add.
 * A score exactly on the target line counts as reaching it, as the session signal reads it.
 * @example courseFigures([{ intake: 15, last: 24, cutoff: 25, expected: { expected: 21, target: 23 } }, …])
 */
export function courseFigures(episodes: readonly CourseEpisode[]): CourseFigures {
	let withCourse = 0;
	let reachedTarget = 0;
	const intakes: number[] = [];
	let residualSum = 0;
	for (const e of episodes) {
		if (e.expected === null) continue;
		withCourse++;
		if (e.last >= e.expected.target) reachedTarget++;
		if (e.intake >= e.cutoff) continue;
		intakes.push(e.intake);
		residualSum += e.last - e.expected.expected;
	}
	const clinical = intakes.length;
	const meanResidual = clinical === 0 ? null : residualSum / clinical;
	const meanIntake = clinical === 0 ? 0 : intakes.reduce((a, b) => a + b, 0) / clinical;
	const sdIntake = clinical < 2 ? null : Math.sqrt(intakes.reduce((a, x) => a + (x - meanIntake) ** 2, 0) / (clinical - 1));
	return {
		withCourse,
		reachedTarget,
		clinical,
		meanResidual,
		sdIntake,
		residualEffect: meanResidual === null || sdIntake === null || sdIntake === 0 ? null : meanResidual / sdIntake
	};
}
