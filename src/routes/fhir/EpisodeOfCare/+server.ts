import type { RequestHandler } from './$types';
import { requireApiClient } from '$lib/server/auth/guards';
import { fhirBase } from '$lib/server/fhir/identifiers';
import { fhirAnswer } from '$lib/server/fhir/outcome';
import { searchCare } from '$lib/server/fhir/reads';

export const GET: RequestHandler = (event) => fhirAnswer(() => searchCare(event.locals.ctx, requireApiClient(event.locals.ctx), fhirBase(event.url), 'EpisodeOfCare', event.url.searchParams));
