import type { RequestContext } from '$lib/server/context';

declare global {
	namespace App {
		interface Locals {
			/** Who is asking and with what: built once per request by src/hooks/context.ts. */
			ctx: RequestContext;
			/** Set when the request failed because the database cannot be written (see handleError). */
			storageUnavailable?: true;
		}
		interface Error {
			message: string;
			/** Why, where the page says more than "something went wrong". */
			code?: 'storage_unavailable';
		}
	}
}

export {};
