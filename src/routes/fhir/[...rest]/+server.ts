import type { RequestHandler } from './$types';
import { requireApiClient } from '$lib/server/auth/guards';
import { FhirError, fhirAnswer } from '$lib/server/fhir/outcome';

/** Any other /fhir path or method: 401 without a valid token, else an OperationOutcome saying it is not served. */
export const fallback: RequestHandler = (event) =>
	fhirAnswer(() => {
		requireApiClient(event.locals.ctx);
		throw new FhirError(404, [{ code: 'not-supported', diagnostics: `${event.request.method} /fhir/${event.params.rest.slice(0, 80)} is not supported; see /fhir/metadata` }]);
	});
