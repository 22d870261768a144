import type { RequestContext } from '../context';
import type { SessionUser } from '../auth/session';
import { teamsOf } from '../registration';
import { IMPORT_COLUMNS } from './rows';
import { CHUNK_CHARS } from './endpoint';

/** The import page: the teams the lead may import into, the columns, and how big a piece to send. Shows no patient. */
export function loadImportPage(ctx: RequestContext, user: SessionUser) {
	return { teams: teamsOf(ctx.db, user), columns: [...IMPORT_COLUMNS], chunkChars: CHUNK_CHARS };
}
