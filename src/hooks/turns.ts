import type { Handle } from '@sveltejs/kit';
import { turns } from '$lib/server/turns';
import { RATING_PATH } from './paths';

/** A tablet's rating waits while staff requests are coming in (see turns.ts), before any of its work. */
export const handleTurns: Handle = async ({ event, resolve }) => {
	if (event.request.method !== 'POST' || event.url.pathname !== RATING_PATH) turns.staffRequest();
	else {
		const turn = turns.ratingTurn();
		if (turn !== null) await turn;
	}
	return resolve(event);
};
