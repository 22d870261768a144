import { and, inArray, isNull } from 'drizzle-orm';
import type { Db } from './db';
import { outreachTasks } from './db/schema';

/** The episodes among `episodeIds` with an open outreach task (after a drop-out or a long gap). */
export function openOutreachEpisodes(db: Db, episodeIds: readonly number[]): Set<number> {
	if (episodeIds.length === 0) return new Set();
	const rows = db
		.select({ episodeId: outreachTasks.episodeId })
		.from(outreachTasks)
		.where(and(inArray(outreachTasks.episodeId, [...episodeIds]), isNull(outreachTasks.closedAt)))
		.all();
	return new Set(rows.map((r) => r.episodeId));
}
