import type { RequestHandler } from './$types';
import { capabilityStatement } from '$lib/server/fhir/capability';
import { fhirBase } from '$lib/server/fhir/identifiers';
import { fhirAnswer } from '$lib/server/fhir/outcome';
import pkg from '../../../../package.json' with { type: 'json' };

// Public: the CapabilityStatement says what the API serves and how to authenticate; it holds no
// patient data, and a FHIR client reads it before it has a token (FHIR R4 http.html#capabilities).
export const GET: RequestHandler = (event) => fhirAnswer(() => capabilityStatement(fhirBase(event.url), pkg.version));
