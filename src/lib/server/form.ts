import type { z } from 'zod';
import { m } from '$lib/paraglide/messages';

/**
 * One clear sentence naming the first field that failed, in the user's language.
 * `labels` maps field names to what the form calls them; `input` is the submitted form.
 */
export function fieldErrorMessage(
	error: z.ZodError,
	labels: Record<string, string>,
	input: Record<string, unknown>
): string {
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
