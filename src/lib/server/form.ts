import type { z } from 'zod';
import { m } from '$lib/paraglide/messages';

/**
 * One clear sentence naming the first field that failed, in the user's language.
 * `labels` maps field names to what the form calls them; `input` is the submitted form.
 */
export function fieldErrorMessage(error: z.ZodError, labels: Record<string, string>, input: Record<string, unknown>): string {
	const issue = error.issues[0];
	const key = String(issue?.path[0] ?? '');
	const field = labels[key] ?? key;
	const value = input[key];
	if (value === undefined || (typeof value === 'string' && value.trim() === '')) {
		return m.field_required({ field });
	}
	if (issue?.code === 'too_big' && typeof issue.maximum === 'number') {
		return m.field_too_long({ field, max: Number(issue.maximum) });
	}
	return m.field_invalid({ field });
}

/** Control characters no one types into a form (everything below U+0020 except tab and newlines, and DEL). */
// Matching control characters is the point here.
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export type FormBodyProblem = { problem: 'unreadable' } | { problem: 'repeated' | 'file'; field: string };

/**
 * Checks a form post before any action reads it: a body that cannot be parsed, a field sent
 * twice, or a file (Stemme takes no uploads) is refused for every action alike. Repeating a
 * field is how a hostile form smuggles a second value past a check that reads the first.
 * `null` when the form is fine. Reads a clone, so the action still gets the body.
 */
export async function formBodyProblem(request: Request): Promise<FormBodyProblem | null> {
	let form: FormData;
	try {
		form = await request.clone().formData();
	} catch {
		return { problem: 'unreadable' };
	}
	const seen = new Set<string>();
	for (const [name, value] of form.entries()) {
		if (typeof value !== 'string') return { problem: 'file', field: name.slice(0, 60) };
		if (seen.has(name)) return { problem: 'repeated', field: name.slice(0, 60) };
		seen.add(name);
	}
	return null;
}
