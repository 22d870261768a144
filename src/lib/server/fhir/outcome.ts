import type { OperationOutcome, Resource } from '@medplum/fhirtypes';

/** The FHIR JSON media type every /fhir answer carries (FHIR R4 http.html#mime-type). */
export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/** Issue types of the R4 value set `issue-type` that Stemme's refusals use. */
export type IssueCode = 'invalid' | 'structure' | 'required' | 'value' | 'security' | 'login' | 'forbidden' | 'not-found' | 'not-supported' | 'too-costly' | 'exception' | 'transient' | 'duplicate';

export interface Issue {
	code: IssueCode;
	diagnostics: string;
	/** Where: a search parameter's name, or a FHIRPath into the resource sent (`Bundle.entry[3].resource.birthDate`). */
	expression?: string;
}

/**
 * A refusal of a /fhir request, answered as an OperationOutcome with its status. Thrown by the
 * guards and the parsers; `fhirAnswer` turns it into the response.
 */
export class FhirError extends Error {
	constructor(
		readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 503,
		readonly issues: readonly Issue[]
	) {
		super(issues.map((i) => i.diagnostics).join('; '));
	}
}

export function operationOutcome(issues: readonly Issue[]): OperationOutcome {
	return {
		resourceType: 'OperationOutcome',
		issue: issues.map((i) => ({ severity: 'error', code: i.code, diagnostics: i.diagnostics, ...(i.expression === undefined ? {} : { expression: [i.expression] }) }))
	};
}

export function fhirResponse(resource: Resource, status = 200, headers: Record<string, string> = {}): Response {
	return new Response(JSON.stringify(resource), { status, headers: { 'content-type': FHIR_JSON, ...headers } });
}

/** The answer of a /fhir handler: what it returns, or its refusal as an OperationOutcome. */
export async function fhirAnswer(handle: () => Resource | Promise<Resource>): Promise<Response> {
	try {
		return fhirResponse(await handle());
	} catch (e) {
		if (e instanceof FhirError) return fhirResponse(operationOutcome(e.issues), e.status, e.status === 401 ? { 'www-authenticate': 'Bearer' } : {});
		throw e;
	}
}
