import { describe, expect, it } from 'vitest';
import { courseFigures } from './expected-course';

describe('courseFigures', () => {
	it('counts the episodes reaching the target and the residualised gain of clinical-range intakes', () => {
		const f = courseFigures([
			// Clinical (intake < 25): residual 24 − 21 = +3; 24 ≥ 23 reached the target.
			{ intake: 15, last: 24, cutoff: 25, expected: { expected: 21, target: 23 } },
			// Clinical: residual 19 − 20 = −1; 19 < 22 did not.
			{ intake: 13, last: 19, cutoff: 25, expected: { expected: 20, target: 22 } },
			// Clinical: residual 24 − 24 = 0; exactly on the target counts as reaching it.
			{ intake: 17, last: 24, cutoff: 25, expected: { expected: 24, target: 24 } },
			// Above the cutoff: counted for the target (30 ≥ 29), left out of the effect.
			{ intake: 27, last: 30, cutoff: 25, expected: { expected: 28, target: 29 } },
			// No expected course: left out of both.
			{ intake: 10, last: 30, cutoff: 25, expected: null }
		]);
		// Clinical intakes 15, 13, 17: mean 15, SD √((0 + 4 + 4)/2) = 2; mean residual (3 − 1 + 0)/3 = 2/3; effect (2/3)/2 = 1/3
		expect(f).toMatchObject({ withCourse: 4, reachedTarget: 3, clinical: 3, sdIntake: 2 });
		expect(f.meanResidual).toBeCloseTo(2 / 3, 10);
		expect(f.residualEffect).toBeCloseTo(1 / 3, 10);
	});

	it('gives no effect below two clinical-range episodes or with no spread of intake', () => {
		expect(courseFigures([{ intake: 15, last: 20, cutoff: 25, expected: { expected: 18, target: 20 } }])).toMatchObject({ clinical: 1, meanResidual: 2, sdIntake: null, residualEffect: null });
		const same = { intake: 15, last: 20, cutoff: 25, expected: { expected: 18, target: 20 } };
		expect(courseFigures([same, same]).residualEffect).toBeNull();
		expect(courseFigures([])).toMatchObject({ withCourse: 0, reachedTarget: 0, meanResidual: null });
	});
});
