import type { RequestHandler } from './$types';
import { requireApiClient } from '$lib/server/auth/guards';
import { fhirBase } from '$lib/server/fhir/identifiers';
import { fhirAnswer } from '$lib/server/fhir/outcome';
import { listQuestionnaires } from '$lib/server/fhir/reads';

export const GET: RequestHandler = (event) =>
	fhirAnswer(() => {
		requireApiClient(event.locals.ctx);
		return listQuestionnaires(event.locals.ctx, fhirBase(event.url), event.url.searchParams);
	});
