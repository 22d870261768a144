import { describe, expect, it } from 'vitest';
import { riskConfigFrom } from './config';

describe('checkpoint sessions from the environment (docs/clinical/change.md: the session numbers are configuration)', () => {
	it.each([
		// the domain's defaults, CHECKPOINT_DISCUSS_SESSION 3 and CHECKPOINT_CHANGE_APPROACH_SESSION 6
		{ env: {}, expected: { discussSession: 3, changeApproachSession: 6 } },
		{ env: { STEMME_CHECKPOINT_DISCUSS_SESSION: ' ', STEMME_CHECKPOINT_CHANGE_SESSION: '' }, expected: { discussSession: 3, changeApproachSession: 6 } },
		{ env: { STEMME_CHECKPOINT_DISCUSS_SESSION: '4', STEMME_CHECKPOINT_CHANGE_SESSION: '8' }, expected: { discussSession: 4, changeApproachSession: 8 } },
		// only one given: the other keeps its default (2 < 6; 3 < 10)
		{ env: { STEMME_CHECKPOINT_DISCUSS_SESSION: '2' }, expected: { discussSession: 2, changeApproachSession: 6 } },
		{ env: { STEMME_CHECKPOINT_CHANGE_SESSION: '10' }, expected: { discussSession: 3, changeApproachSession: 10 } }
	])('$env → $expected', ({ env, expected }) => {
		expect(riskConfigFrom(env).checkpoints).toEqual(expected);
	});

	it.each([
		// session 1 is the intake: no change can be judged there
		{ env: { STEMME_CHECKPOINT_DISCUSS_SESSION: '1' }, error: 'STEMME_CHECKPOINT_DISCUSS_SESSION="1" must be a whole session number from 2 (session 1 is the intake).' },
		{ env: { STEMME_CHECKPOINT_DISCUSS_SESSION: '3.5' }, error: 'STEMME_CHECKPOINT_DISCUSS_SESSION="3.5" must be a whole session number from 2 (session 1 is the intake).' },
		{ env: { STEMME_CHECKPOINT_CHANGE_SESSION: 'six' }, error: 'STEMME_CHECKPOINT_CHANGE_SESSION="six" must be a whole session number from 2 (session 1 is the intake).' },
		{ env: { STEMME_CHECKPOINT_CHANGE_SESSION: '-6' }, error: 'STEMME_CHECKPOINT_CHANGE_SESSION="-6" must be a whole session number from 2 (session 1 is the intake).' },
		// change must come after discuss: equal, before, or a discuss past the default change (7 ≥ 6)
		{
			env: { STEMME_CHECKPOINT_DISCUSS_SESSION: '5', STEMME_CHECKPOINT_CHANGE_SESSION: '5' },
			error: 'STEMME_CHECKPOINT_CHANGE_SESSION (5) must be a later session than STEMME_CHECKPOINT_DISCUSS_SESSION (5).'
		},
		{
			env: { STEMME_CHECKPOINT_DISCUSS_SESSION: '6', STEMME_CHECKPOINT_CHANGE_SESSION: '3' },
			error: 'STEMME_CHECKPOINT_CHANGE_SESSION (3) must be a later session than STEMME_CHECKPOINT_DISCUSS_SESSION (6).'
		},
		{ env: { STEMME_CHECKPOINT_DISCUSS_SESSION: '7' }, error: 'STEMME_CHECKPOINT_CHANGE_SESSION (6) must be a later session than STEMME_CHECKPOINT_DISCUSS_SESSION (7).' }
	])('refuses $env', ({ env, error }) => {
		expect(() => riskConfigFrom(env)).toThrow(error);
	});
});
