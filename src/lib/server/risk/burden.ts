import type { Db } from '../db';
import type { Registry } from '$lib/domain/registry';
import type { RecordEpisode } from '../patients';
import { answersInForce } from './checklist';
import type { RiskConfig } from './config';
import { episodeConditions } from './flags';
import { flagKind, type FlagKind } from '$lib/domain/risk';

/**
 * The flag burden a caseload puts on its team, replayed from its data: every session as it
 * happens on the tablet (the outcome rating at the start, evaluated ~5 s later; the alliance rating
 * 45 minutes on, evaluated again), every missed appointment an hour after its time, and a sweep
 * each morning. The team is taken to look once a working day: what is open is seen at the next
 * morning's sweep, and anything raised after that is new and unseen.
 *
 * Two ways of counting what needs "mark as seen": one flag each (`perFlag`), or one card per
 * domain (`perDomain`: a card becomes unseen when a new flag is raised in it, once until it is
 * seen). Read only; nothing is stored.
 */
export interface BurdenOptions {
	judging: 'complete-sessions' | 'every-rating';
	/** The replayed period. */
	from: Date;
	to: Date;
}

export interface Burden {
	episodes: number;
	/** Open flags at `to`, per 100 open episodes. */
	openPer100: number;
	/** Domain cards open at `to` (a domain with at least one open flag), per 100 open episodes. */
	openCardsPer100: number;
	/** Flags raised in the period (each one a new unseen flag to mark as seen). */
	raised: number;
	/** Domain cards that turned unseen in the period. */
	cardsTurnedUnseen: number;
	/** Flags raised in the period, by rule, most first. */
	byRule: [string, number][];
	/** Open flags at `to`, by rule, most first. */
	openByRule: [string, number][];
}

const OUTCOME_DELAY_MS = 5_000;
const ALLIANCE_AFTER_MS = 45 * 60_000;
const MISSED_SET_AFTER_MS = 60 * 60_000;
const DAY_MS = 86_400_000;
/** The morning sweep, 07:00 Oslo in winter (06:00 UTC). */
const SWEEP_UTC_HOUR = 6;

/** The episode as it stood at `t`: appointments not yet due are still scheduled; a session under way has only the ratings given so far. */
function asOf(record: RecordEpisode, t: number): RecordEpisode {
	const appointments = record.appointments.map((a) => {
		const at = a.scheduledAt.getTime();
		if (at > t || (a.status !== 'attended' && at + MISSED_SET_AFTER_MS > t)) return { ...a, status: 'scheduled' as const, session: null, ratings: [] };
		if (a.status === 'attended' && at + ALLIANCE_AFTER_MS > t) return { ...a, ratings: a.ratings.filter((r) => r.kind !== 'alliance') };
		return a;
	});
	return { ...record, appointments };
}

export function flagBurden(db: Db, registry: Registry, config: RiskConfig, items: readonly { record: RecordEpisode; birthYear: number }[], o: BurdenOptions): Burden {
	const answers = answersInForce(
		db,
		items.map((x) => x.record.id)
	);
	const from = o.from.getTime();
	const to = o.to.getTime();
	let raised = 0;
	let cardsTurnedUnseen = 0;
	let openAtEnd = 0;
	let cardsAtEnd = 0;
	const byRule = new Map<string, number>();
	const openByRule = new Map<string, number>();
	for (const { record, birthYear } of items) {
		const times = new Set<number>();
		for (const a of record.appointments) {
			const at = a.scheduledAt.getTime();
			if (at < from || at > to) continue;
			if (a.status === 'attended') {
				times.add(at + OUTCOME_DELAY_MS);
				times.add(at + ALLIANCE_AFTER_MS + OUTCOME_DELAY_MS);
			} else if (a.status !== 'scheduled') times.add(at + MISSED_SET_AFTER_MS);
		}
		const sweeps = new Set<number>();
		const firstDay = Date.UTC(o.from.getUTCFullYear(), o.from.getUTCMonth(), o.from.getUTCDate(), SWEEP_UTC_HOUR);
		for (let d = firstDay; d <= to; d += DAY_MS)
			if (d >= from) {
				times.add(d);
				sweeps.add(d);
			}
		times.add(to);

		// key → { kind, seen }
		const open = new Map<string, { rule: string; kind: FlagKind; seen: boolean }>();
		const unseenCards = new Set<FlagKind>();
		let first = true;
		for (const t of [...times].sort((a, b) => a - b)) {
			const conditions = episodeConditions(db, registry, config, asOf(record, t), birthYear, answers.get(record.id), new Date(t), { judging: o.judging });
			const holding = new Map(conditions.map((c) => [c.key, c]));
			for (const key of [...open.keys()]) if (!holding.has(key)) open.delete(key);
			for (const c of holding.values()) {
				if (open.has(c.key)) continue;
				const kind = flagKind(c.source, c.rule);
				// What is open when the replay starts was raised before it: seen, not counted.
				open.set(c.key, { rule: c.rule, kind, seen: first });
				if (first) continue;
				raised++;
				byRule.set(c.rule, (byRule.get(c.rule) ?? 0) + 1);
				if (!unseenCards.has(kind)) {
					unseenCards.add(kind);
					cardsTurnedUnseen++;
				}
			}
			for (const kind of [...unseenCards]) if (![...open.values()].some((f) => f.kind === kind && !f.seen)) unseenCards.delete(kind);
			if (sweeps.has(t)) {
				// The morning look: everything open is seen.
				for (const f of open.values()) f.seen = true;
				unseenCards.clear();
			}
			first = false;
		}
		openAtEnd += open.size;
		cardsAtEnd += new Set([...open.values()].map((f) => f.kind)).size;
		for (const f of open.values()) openByRule.set(f.rule, (openByRule.get(f.rule) ?? 0) + 1);
	}
	const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]);
	return {
		episodes: items.length,
		openPer100: (openAtEnd / Math.max(1, items.length)) * 100,
		openCardsPer100: (cardsAtEnd / Math.max(1, items.length)) * 100,
		raised,
		cardsTurnedUnseen,
		byRule: sorted(byRule),
		openByRule: sorted(openByRule)
	};
}
