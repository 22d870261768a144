import { beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from './db/open';
import { generateBulkClinic } from '../../../scripts/lib/bulk-clinic';
import { awaitingFirstFit, expectedFor, fitExpectedModels, resetFittedModels } from './expected-models';
import { builtInInstruments } from '$lib/domain/instruments';
import { createRegistry, getInstrument } from '$lib/domain/registry';

const made = createRegistry(builtInInstruments, []);
if (!made.ok) throw new Error(made.errors.join('\n'));
const registry = made.registry;
const adult = getInstrument(registry, 'stemme-outcome-adult')!.definition;
const now = new Date('2026-11-23T10:00:00Z');

describe('the expected trajectories fitted in the background', () => {
	beforeEach(() => resetFittedModels());

	it('are the rule checkpoints until the first fit lands, and the fitted model after it', async () => {
		const db = createTestDatabase();
		// 120 closed episodes: more than one slice of the fit, and above the minimum of 30.
		generateBulkClinic(db, { activeEpisodes: 10, closedEpisodes: 120, now });
		expect(expectedFor(registry, adult)).toEqual({ kind: 'rules', why: 'not-fitted-yet', episodes: 0, minEpisodes: 30 });
		const fit = fitExpectedModels(db, registry, now);
		expect(awaitingFirstFit()).toBe(true);
		expect(await fit).toBe(120);
		expect(awaitingFirstFit()).toBe(false);
		const source = expectedFor(registry, adult);
		expect(source.kind).toBe('fitted');
		if (source.kind === 'fitted') expect(source.model.episodes).toBeGreaterThanOrEqual(30);
	});

	it('draw the line with the mixed model (docs/clinical/change.md, "Fitting: why a mixed model"), converged', async () => {
		const db = createTestDatabase();
		generateBulkClinic(db, { activeEpisodes: 10, closedEpisodes: 120, now });
		await fitExpectedModels(db, registry, now);
		const source = expectedFor(registry, adult);
		if (source.kind !== 'fitted') throw new Error(`not fitted: ${source.kind}`);
		expect(source.model.method).toBe('mixed');
		expect(source.model.mixed?.converged).toBe(true);
	});

	it('say why when there are too few closed episodes', async () => {
		const db = createTestDatabase();
		generateBulkClinic(db, { activeEpisodes: 10, closedEpisodes: 5, now });
		await fitExpectedModels(db, registry, now);
		expect(expectedFor(registry, adult)).toMatchObject({ kind: 'rules', why: 'too-few-episodes', minEpisodes: 30 });
	});
});
