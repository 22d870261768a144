import type { RequestContext } from '../context';
import type { SessionUser } from '../auth/session';
import { teamsOf } from '../registration';
import { appendChunk, checkJob, createJob, jobOf, jobStatus, runJob } from './jobs';
import { m } from '$lib/paraglide/messages';

/** A piece of the file may be at most this long (under the server's body limit, with room for UTF-8). */
export const CHUNK_CHARS = 100_000;
const TEAM_ID = /^[1-9][0-9]{0,9}$/;

type Answer = { status: number; body: Record<string, unknown> };
const refuse = (status: number, field: string, message: string): Answer => ({ status, body: { message, field } });

/** The status of the user's own job; null for an unknown job or another user's. */
export function importJobStatus(ctx: RequestContext, user: SessionUser, id: string): ReturnType<typeof jobStatus> | null {
	const job = id.length > 100 ? null : jobOf(user, id, ctx.now);
	return job === null ? null : jobStatus(job);
}

/**
 * One step of an import. `start` takes `{ "team": id }` (one of the user's teams); `append` a
 * piece of the CSV as text/csv, in order; `check` starts the dry run (it runs in slices: poll the
 * status); `run` imports what the dry run accepted, in one transaction.
 */
export async function importStep(ctx: RequestContext, user: SessionUser, query: URLSearchParams, request: Request): Promise<Answer> {
	const step = query.get('do');
	if (step === 'start') {
		let body: unknown;
		try {
			body = await request.json();
		} catch {
			return refuse(400, 'team', m.field_invalid({ field: m.imp_team() }));
		}
		const team = typeof body === 'object' && body !== null && Object.keys(body).length === 1 ? (body as Record<string, unknown>).team : undefined;
		if (typeof team !== 'string' || !TEAM_ID.test(team)) return refuse(400, 'team', m.field_invalid({ field: m.imp_team() }));
		if (!teamsOf(ctx.db, user).some((t) => t.id === Number(team))) return refuse(404, 'team', m.field_invalid({ field: m.imp_team() }));
		const job = createJob(user, Number(team), ctx.now);
		return { status: 201, body: jobStatus(job) };
	}
	const job = jobOf(user, (query.get('job') ?? '').slice(0, 100), ctx.now);
	if (job === null) return refuse(404, 'job', m.imp_no_job());
	if (step === 'append') {
		if (job.phase !== 'uploading') return refuse(409, 'file', m.imp_wrong_step());
		if (!/^text\/csv\b/.test(request.headers.get('content-type') ?? '')) return refuse(415, 'file', m.imp_not_csv());
		const text = await request.text();
		if (text.length > CHUNK_CHARS) return refuse(413, 'file', m.imp_chunk_too_big());
		await appendChunk(job, text);
		return { status: 200, body: jobStatus(job) };
	}
	if (step === 'check') {
		if (job.phase !== 'uploading') return refuse(409, 'file', m.imp_wrong_step());
		void checkJob(ctx.db, user, job, ctx.now);
		return { status: 202, body: jobStatus(job) };
	}
	if (step === 'run') {
		if (job.phase !== 'checked') return refuse(409, 'file', m.imp_wrong_step());
		if (job.patients.length === 0) return refuse(409, 'file', m.imp_nothing());
		runJob(ctx.db, user, job, ctx.now, ctx.address);
		const after = jobStatus(job);
		return { status: after.phase === 'done' ? 200 : 409, body: after };
	}
	return refuse(400, 'do', m.field_invalid({ field: 'do' }));
}
