import type { RequestHandler } from './$types';
import { requireApiClient } from '$lib/server/auth/guards';
import { fhirBase } from '$lib/server/fhir/identifiers';
import { fhirAnswer } from '$lib/server/fhir/outcome';
import { postTransaction } from '$lib/server/fhir/transaction';

/** The import: a transaction Bundle of Patient, EpisodeOfCare and Appointment (src/lib/server/fhir/transaction.ts). */
export const POST: RequestHandler = (event) => fhirAnswer(() => postTransaction(event.locals.ctx, requireApiClient(event.locals.ctx), fhirBase(event.url), event.request));

// FHIR clients post a transaction to the base with a slash (`/fhir/`): answered, not redirected.
export const trailingSlash = 'ignore';
