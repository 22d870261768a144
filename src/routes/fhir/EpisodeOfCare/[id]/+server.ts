import type { RequestHandler } from './$types';
import { requireApiClient } from '$lib/server/auth/guards';
import { fhirBase } from '$lib/server/fhir/identifiers';
import { fhirAnswer } from '$lib/server/fhir/outcome';
import { readCare } from '$lib/server/fhir/reads';

export const GET: RequestHandler = (event) => fhirAnswer(() => readCare(event.locals.ctx, requireApiClient(event.locals.ctx), fhirBase(event.url), 'EpisodeOfCare', event.params.id));
