import type { RequestHandler } from './$types';
import { requireApiClient } from '$lib/server/auth/guards';
import { fhirBase } from '$lib/server/fhir/identifiers';
import { FhirError, fhirAnswer } from '$lib/server/fhir/outcome';
import { patientEverything } from '$lib/server/fhir/reads';

/** `GET /fhir/Patient/[id]/$everything`, the one operation on a patient. */
export const GET: RequestHandler = (event) =>
	fhirAnswer(() => {
		const client = requireApiClient(event.locals.ctx);
		if (event.params.operation !== '$everything')
			throw new FhirError(404, [{ code: 'not-supported', diagnostics: `Patient/[id]/${event.params.operation.slice(0, 40)} is not supported (only $everything)` }]);
		return patientEverything(event.locals.ctx, client, fhirBase(event.url), event.params.id, event.url.searchParams);
	});
