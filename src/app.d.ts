import type { Session, TabletHandoff } from '$lib/server/db/schema';
import type { SessionUser } from '$lib/server/auth/session';

declare global {
	namespace App {
		interface Locals {
			user: SessionUser | null;
			session: Session | null;
			/** Set while the tablet is in patient mode for this staff session. */
			handoff: TabletHandoff | null;
			/** Set when the request failed because the database cannot be written (see handleError). */
			storageUnavailable?: true;
			/** The storage error met while reading the session (see handleSession); the guards throw it. */
			databaseError?: unknown;
		}
		interface Error {
			message: string;
			/** Why, where the page says more than "something went wrong". */
			code?: 'storage_unavailable';
		}
	}
}

export {};
