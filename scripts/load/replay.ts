// Tablets sending ratings again, the way the tablet's outbox retries: the same client id, the
// same handoff and cookies. Plain fetch, a few at a time, to 127.0.0.1 only.
import { submission, tabletCookie, type LoadPlan } from './plan';

/** Sends each (tablet, index) once; returns how many answers each status had (0: no answer). */
export async function replay(plan: Pick<LoadPlan, 'url' | 'runTag' | 'tablets'>, sends: readonly { tablet: number; index: number }[], concurrency = 20): Promise<Record<number, number>> {
	if (new URL(plan.url).hostname !== '127.0.0.1') throw new Error('replay sends to 127.0.0.1 only');
	const statuses: Record<number, number> = {};
	let cursor = 0;
	const worker = async (): Promise<void> => {
		while (cursor < sends.length) {
			const { tablet, index } = sends[cursor++]!;
			let status: number;
			try {
				const response = await fetch(`${plan.url}/rate/submit`, {
					method: 'POST',
					headers: { 'content-type': 'application/json', accept: 'application/json', origin: plan.url, cookie: tabletCookie(plan, tablet, index) },
					body: JSON.stringify(submission(plan, tablet, index)),
					signal: AbortSignal.timeout(10_000)
				});
				await response.arrayBuffer();
				status = response.status;
			} catch {
				status = 0;
			}
			statuses[status] = (statuses[status] ?? 0) + 1;
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, sends.length) }, worker));
	return statuses;
}
