import { z } from 'zod';
import { formatIssues } from './format-issues';
import { textFor } from './localized';

/**
 * The drop-out checklist as data (docs/clinical/dropout-and-milestones.md, "The checklist (risk factors)";
 * Brorson et al. 2013; Nasjonal kompetansetjeneste TSB, "Sjekkliste mot drop-out"). A service can
 * replace it with its own local checklist (a JSON file, STEMME_CHECKLIST) without a code change.
 * Each factor has its words and advice in every language, and may say how the data fills it in:
 * `age-under` (from the birth year) or `alliance` (from the alliance signal).
 *
 * Actions chosen on a flag are data too (the same note: call the patient, outreach team, …).
 */
const localized = z.record(z.string().regex(/^[a-z]{2,3}$/), z.string().min(1).max(600)).refine((t) => 'nb' in t && 'en' in t, 'needs at least nb and en');

export const checklistSchema = z
	.object({
		id: z.string().regex(/^[a-z0-9-]+$/),
		version: z.number().int().positive(),
		source: z.string().min(1),
		factors: z
			.array(
				z
					.object({
						key: z.string().regex(/^[a-z][a-z0-9-]*$/),
						label: localized,
						advice: localized,
						/** Filled in from the data: younger than `age` years, or the alliance signal. */
						fromData: z.union([z.object({ kind: z.literal('age-under'), age: z.number().int().positive() }), z.object({ kind: z.literal('alliance') })]).optional(),
						/** The factor asks for a date (a transition). */
						hasDate: z.boolean().optional()
					})
					.strict()
			)
			.min(1)
			.refine((f) => new Set(f.map((x) => x.key)).size === f.length, 'factor keys must be unique'),
		actions: z
			.array(z.object({ key: z.string().regex(/^[a-z][a-z0-9-]*$/), label: localized }).strict())
			.min(1)
			.refine((a) => new Set(a.map((x) => x.key)).size === a.length, 'action keys must be unique')
	})
	.strict();

export type Checklist = z.output<typeof checklistSchema>;
export type ChecklistFactor = Checklist['factors'][number];

/** Validates a checklist; errors name the source and the field. */
export function validateChecklist(data: unknown, source: string): { ok: true; value: Checklist } | { ok: false; errors: string[] } {
	const parsed = checklistSchema.safeParse(data);
	return parsed.success ? { ok: true, value: parsed.data } : { ok: false, errors: formatIssues(parsed.error.issues, data, source) };
}

/** Age limit of the young-age factor: the checklist work at one Oslo unit targeted patients under 23. */
export const YOUNG_AGE_UNDER = 23;

export const DEFAULT_CHECKLIST: Checklist = {
	id: 'stemme-dropout',
	version: 1,
	source: 'Brorson et al. 2013 (Clin Psychol Rev 33(8):1010–24); Nasjonal kompetansetjeneste TSB, «Sjekkliste mot drop-out»; docs/clinical/dropout-and-milestones.md',
	factors: [
		{
			key: 'cognitive-impairment',
			label: { nb: 'Kognitiv svikt (overdoser, alkohol, hodeskader)', nn: 'Kognitiv svikt (overdosar, alkohol, hovudskadar)', en: 'Cognitive impairment (overdoses, alcohol, head injuries)' },
			advice: { nb: 'Kartlegg kognitiv fungering.', nn: 'Kartlegg kognitiv fungering.', en: 'Screen cognitive function.' }
		},
		{
			key: 'weak-alliance',
			label: { nb: 'Svak behandlingsallianse', nn: 'Svak behandlingsallianse', en: 'Weak treatment alliance' },
			advice: {
				nb: 'La første fase handle om alliansen; be om tilbakemelding på samarbeidet hver time.',
				nn: 'La første fase handle om alliansen; be om tilbakemelding på samarbeidet kvar time.',
				en: 'Make the first phase about the alliance; ask for alliance feedback every session.'
			},
			fromData: { kind: 'alliance' }
		},
		{
			key: 'personality',
			label: { nb: 'Personlighetsforstyrrelse / personlighetsproblemer', nn: 'Personlegdomsforstyrring / personlegdomsproblem', en: 'Personality disorder / personality problems' },
			advice: { nb: 'Planlegg forutsigbar kontakt og tydelige avtaler.', nn: 'Planlegg føreseieleg kontakt og tydelege avtalar.', en: 'Plan predictable contact and clear agreements.' }
		},
		{
			key: 'young-age',
			label: { nb: 'Ung alder (under 23 år)', nn: 'Ung alder (under 23 år)', en: 'Young age (under 23)' },
			advice: {
				nb: 'Vær ekstra tett på ved overganger; avtal hva som skjer om pasienten slutter å komme.',
				nn: 'Ver ekstra tett på ved overgangar; avtal kva som skjer om pasienten sluttar å kome.',
				en: 'Stay close at transitions; agree what happens if the patient stops coming.'
			},
			fromData: { kind: 'age-under', age: YOUNG_AGE_UNDER }
		},
		{
			key: 'network-housing',
			label: { nb: 'Tynt rusfritt nettverk eller ustabil bosituasjon', nn: 'Tynt rusfritt nettverk eller ustabil busituasjon', en: 'Thin drug-free network or unstable housing' },
			advice: { nb: 'Involver kommunale tjenester og nettverket tidlig.', nn: 'Involver kommunale tenester og nettverket tidleg.', en: 'Involve municipal services and the network early.' }
		},
		{
			key: 'heavier-drugs',
			label: {
				nb: 'Bruk av tyngre rusmidler (ved tilbakefall også cannabisdiagnose)',
				nn: 'Bruk av tyngre rusmiddel (ved tilbakefall også cannabisdiagnose)',
				en: 'Heavier drug use (for relapse also a cannabis diagnosis)'
			},
			advice: { nb: 'Avtal hva som skjer ved tilbakefall, før det skjer.', nn: 'Avtal kva som skjer ved tilbakefall, før det skjer.', en: 'Agree what happens on relapse before it happens.' }
		},
		{
			key: 'motivation',
			label: { nb: 'Lav eller vekslende motivasjon for endring', nn: 'Låg eller vekslande motivasjon for endring', en: 'Low or varying motivation for change' },
			advice: {
				nb: 'Snakk om hva pasienten selv vil oppnå; bruk tilbakemeldingene.',
				nn: 'Snakk om kva pasienten sjølv vil oppnå; bruk tilbakemeldingane.',
				en: 'Talk about what the patient wants to achieve; use the feedback.'
			}
		},
		{
			key: 'mental-health',
			label: { nb: 'Samtidig psykisk lidelse / høy symptombelastning', nn: 'Samtidig psykisk liding / høg symptombelastning', en: 'Co-occurring mental disorder / high symptom load' },
			advice: { nb: 'Vurder behov for mer utredning eller behandling.', nn: 'Vurder behov for meir utgreiing eller behandling.', en: 'Consider whether more assessment or treatment is needed.' }
		},
		{
			key: 'transition',
			label: {
				nb: 'Kommende eller nylig overgang (døgn/poliklinikk, institusjon, soning)',
				nn: 'Komande eller nyleg overgang (døgn/poliklinikk, institusjon, soning)',
				en: 'Upcoming or recent transition (inpatient/outpatient, institution, prison)'
			},
			advice: { nb: 'Trapp opp kontakten rundt overgangen.', nn: 'Trapp opp kontakten rundt overgangen.', en: 'Step up contact around the transition.' },
			hasDate: true
		},
		{
			key: 'earlier-dropout',
			label: { nb: 'Tidligere avbrutt behandling', nn: 'Tidlegare avbroten behandling', en: 'Earlier drop-out from treatment' },
			advice: {
				nb: 'Avtal med pasienten hva tjenesten gjør hvis hen slutter å komme – og skriv ned avtalen.',
				nn: 'Avtal med pasienten kva tenesta gjer om hen sluttar å kome – og skriv ned avtalen.',
				en: 'Agree with the patient what the service will do if they stop coming – and record the agreement.'
			}
		}
	],
	actions: [
		{ key: 'call-today', label: { nb: 'Ring pasienten i dag', nn: 'Ring pasienten i dag', en: 'Call the patient today' } },
		{ key: 'outreach', label: { nb: 'Ambulant team / oppsøkende', nn: 'Ambulant team / oppsøkjande', en: 'Outreach team' } },
		{ key: 'next-session', label: { nb: 'Ta det opp neste time', nn: 'Ta det opp neste time', en: 'Discuss in the next session' } },
		{ key: 'milestone-now', label: { nb: 'Milepælsmøte nå', nn: 'Milepælsmøte no', en: 'Milestone meeting now' } },
		{ key: 'change-approach', label: { nb: 'Endre tilnærming', nn: 'Endre tilnærming', en: 'Change approach' } },
		{ key: 'absence-plan', label: { nb: 'Avtal plan ved fravær', nn: 'Avtal plan ved fråvær', en: 'Agree an absence plan' } },
		{ key: 'screen-cognition', label: { nb: 'Kartlegg kognisjon', nn: 'Kartlegg kognisjon', en: 'Screen cognition' } },
		{ key: 'other', label: { nb: 'Annet', nn: 'Anna', en: 'Other' } }
	]
};

/**
 * A checklist's factor and action labels in a language; a key the checklist does not have (an old
 * flag after a local checklist changed) gives null for a factor and the key itself for an action.
 * @example checklistLabels(DEFAULT_CHECKLIST, 'en').action('call-today') // 'Call the patient today'
 */
export function checklistLabels(checklist: Checklist, language: string): { factor: (key: string) => string | null; action: (key: string) => string } {
	const factors = new Map(checklist.factors.map((f) => [f.key, textFor(f.label, language)]));
	const actions = new Map(checklist.actions.map((a) => [a.key, textFor(a.label, language)]));
	return { factor: (key) => factors.get(key) ?? null, action: (key) => actions.get(key) ?? key };
}
