import type { InstrumentDefinition } from '../instrument-schema';
import { stemmeAllianceAdult } from './stemme-alliance-adult';
import { stemmeAllianceChild } from './stemme-alliance-child';
import { stemmeAllianceGroup } from './stemme-alliance-group';
import { stemmeOutcomeAdult } from './stemme-outcome-adult';
import { stemmeOutcomeChild } from './stemme-outcome-child';

export { stemmeAllianceAdult, stemmeAllianceChild, stemmeAllianceGroup, stemmeOutcomeAdult, stemmeOutcomeChild };
export { PROVISIONAL_NOTE, STEMME_LICENCE } from './shared-texts';

/** The explicit registry of Stemme's own open instruments, built in at version 1. */
export const builtInInstruments: readonly InstrumentDefinition[] = [stemmeOutcomeAdult, stemmeAllianceAdult, stemmeOutcomeChild, stemmeAllianceChild, stemmeAllianceGroup];
