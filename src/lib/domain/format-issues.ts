import type { z } from 'zod';

type Path = readonly PropertyKey[];

/**
 * A field path as a reader writes it.
 * @example formatPath(['items', 2, 'label', 'nb']) // 'items[2].label.nb'
 */
export function formatPath(path: Path): string {
	let out = '';
	for (const part of path) {
		if (typeof part === 'number') out += `[${part}]`;
		else out += out === '' ? String(part) : `.${String(part)}`;
	}
	return out;
}

function valueAt(data: unknown, path: Path): unknown {
	let current: unknown = data;
	for (const part of path) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<PropertyKey, unknown>)[part];
	}
	return current;
}

/**
 * One line per problem, each naming the source and the field path.
 * @example formatIssues(error.issues, raw, 'pack "kor-nb" (instruments/ors.json)')
 * // ['pack "kor-nb" (instruments/ors.json): items[2].label.nb is missing']
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[], data: unknown, source: string): string[] {
	return issues.map((issue) => {
		const path = formatPath(issue.path);
		const where = path === '' ? 'the top level' : path;
		if (issue.code === 'invalid_type' && valueAt(data, issue.path) === undefined) {
			return `${source}: ${where} is missing`;
		}
		if (issue.code === 'unrecognized_keys') {
			const keys = issue.keys.map((key) => `"${key}"`).join(', ');
			return `${source}: ${where} has unknown field(s) ${keys}`;
		}
		if (issue.code === 'custom') return `${source}: ${where} ${issue.message}`;
		return `${source}: ${where}: ${issue.message}`;
	});
}
