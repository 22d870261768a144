/**
 * SQLite errors that mean "the database cannot be written right now": the disk is full, the
 * file or its folder turned read-only, an I/O error, or another process held the lock past the
 * busy timeout. The transaction was rolled back, so nothing was stored, and asking again later
 * can succeed: the app answers 503, and the tablet keeps the answers and sends them again.
 * A corrupt file is not among them: that is not a moment to wait out.
 */
const STORAGE_FAILURE = /^SQLITE_(FULL|READONLY|IOERR|CANTOPEN|BUSY|LOCKED|NOLFS)/;

/** The SQLite code (SQLITE_FULL, SQLITE_READONLY_…, SQLITE_IOERR_WRITE, …) when `error` is a storage failure; otherwise null. */
export function storageFailure(error: unknown): string | null {
	const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
	return typeof code === 'string' && STORAGE_FAILURE.test(code) ? code : null;
}
