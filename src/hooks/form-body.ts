import type { Handle } from '@sveltejs/kit';
import { formBodyProblem } from '$lib/server/form';
import { m } from '$lib/paraglide/messages';

// The three encodings an HTML form can send (SvelteKit accepts all three for actions).
const FORM_CONTENT = /^(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)\b/i;

/**
 * A form post that cannot be read, repeats a field or carries a file is answered 400 here, for
 * every action, before any action sees it — so no action can be caught out by one.
 */
export const handleFormBody: Handle = async ({ event, resolve }) => {
	if (event.request.method !== 'POST' || !FORM_CONTENT.test(event.request.headers.get('content-type') ?? '')) return resolve(event);
	const found = await formBodyProblem(event.request);
	if (found === null) return resolve(event);
	const message = found.problem === 'unreadable' ? m.form_unreadable() : found.problem === 'repeated' ? m.form_field_repeated({ field: found.field }) : m.form_file_refused({ field: found.field });
	// An enhanced form (use:enhance) expects an action result; a plain post gets the text.
	if (event.request.headers.get('x-sveltekit-action') === 'true') {
		return new Response(JSON.stringify({ type: 'error', status: 400, error: { message } }), { status: 400, headers: { 'content-type': 'application/json' } });
	}
	return new Response(message, { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' } });
};
