import type { Handle, HandleServerError } from '@sveltejs/kit';
import { storageFailure } from '$lib/server/db/storage-failure';

/** A database that cannot be written is "unavailable, try again", not a crash: 503, not 500. */
export const handleStorageFailure: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (event.locals.storageUnavailable !== true || response.status !== 500) return response;
	return new Response(response.body, { status: 503, statusText: 'Service Unavailable', headers: response.headers });
};

export const handleError: HandleServerError = ({ error, event, message }) => {
	const code = storageFailure(error);
	if (code === null) {
		console.error(error);
		return { message };
	}
	// One line, no stack: the disk is full or read-only, and whoever runs Stemme needs to know which.
	console.error(`Stemme: the database cannot be written (${code}); ${event.request.method} ${event.url.pathname} answered 503`);
	event.locals.storageUnavailable = true;
	return { message: 'The database cannot be written right now', code: 'storage_unavailable' };
};
