import { readFileSync } from 'node:fs';
import { delimiter, resolve } from 'node:path';
import { riskConfigFrom, RiskConfigError, type RiskConfig } from './risk/config';
import { MIN_BENCHMARK_EPISODES, MIN_CLINICIAN_EPISODES } from '$lib/domain/statistics/small-cells';
import { DEFAULT_LOG_CONTROL_RULES, type LogControlRules } from '$lib/domain/log-control';
import { DEFAULT_FOLLOW_UP_MONTHS, MAX_FOLLOW_UP_MONTHS } from '$lib/domain/follow-up';
import type { Setting } from '$lib/domain/milestones';
import { DEFAULT_CLINIC_NETWORKS, parseNetwork, type Network } from '$lib/domain/networks';

/** How the server is told about the demo: STEMME_DEMO=on, =off, or not at all. */
export type DemoSetting = 'on' | 'off' | 'unset';

export function demoSetting(value: string | undefined): DemoSetting {
	return value === 'on' ? 'on' : value === 'off' ? 'off' : 'unset';
}

/**
 * Everything an installation can set, read from the environment and checked once at start (the
 * server's init). Nothing else in src/ reads process.env: the request context carries this object
 * (`ctx.config`), and code outside a request (start, sweeps) is handed it. A value that cannot be
 * used stops the server with a message that names the variable.
 */
export interface Config {
	/** DATABASE_URL: the SQLite file (a `file:` prefix is allowed). Default data/stemme.db. */
	databasePath: string;
	/** STEMME_MIGRATIONS: the folder of generated migrations. Default ./drizzle. */
	migrationsFolder: string;
	/** STEMME_STORAGE_RETRY_SECONDS: seconds between tries to write a database that refused writes. Default 30. */
	storageRetrySeconds: number;
	/** STEMME_DEMO: `off` keeps an empty database empty (no demo clinic, no demo hint on the sign-in page). */
	demo: boolean;
	/**
	 * STEMME_DEMO as given: `on` on purpose, `off`, or not set. Not set, an empty database gets the
	 * demo clinic only while the server listens on loopback, and a server beyond loopback refuses
	 * to start on demo accounts unless it is `on` (setup/first-start.ts).
	 */
	demoSetting: DemoSetting;
	/** HOST and ORIGIN as the server got them: where it listens (loopback or the network) and the address the setup link is printed with. */
	listening: { host: string | undefined; origin: string | undefined };
	/** STEMME_INSTRUMENT_PACKS: folders of licensed instrument packs, separated like PATH. */
	instrumentPacks: string[];
	/** STEMME_INSTRUMENTS: instrument ids preferred when several fit, comma-separated. */
	preferredInstruments: string[];
	/** STEMME_MODEL_MIN_EPISODES: fewest closed episodes before Stemme fits its own expected trajectories. Default 30. */
	modelMinEpisodes: number;
	session: {
		/** STEMME_SESSION_HOURS: a staff session ends this long after sign-in, used or not. Default 12. */
		absoluteMs: number;
		/** STEMME_SESSION_IDLE_MINUTES: a staff session ends after this long without a request. Default 30. */
		idleMs: number;
	};
	/**
	 * The minimum numbers of the statistics (docs/clinical/statistics.md): STEMME_STATS_MIN_CLINICIAN,
	 * closed episodes with two or more ratings before a clinician is compared (default 15), and
	 * STEMME_STATS_MIN_BENCHMARK, before a team or the service is set against a benchmark (default 100).
	 */
	statistics: { minClinician: number; minBenchmark: number };
	/**
	 * STEMME_CLINIC_NETWORKS: the clinic's own networks, CIDR ranges separated by commas. A password
	 * sign-in from any other address needs a second factor. Default loopback only.
	 */
	clinicNetworks: Network[];
	/** The drop-out settings (STEMME_CHECKLIST, the attendance thresholds, checkpoints, sweeps): risk/config.ts. */
	risk: RiskConfig;
	/** Sending rating links to patients (links/outbox.ts); without a channel set, nothing is sent. */
	messaging: MessagingConfig;
	/** Single sign-on over OpenID Connect (auth/sso.ts); null when STEMME_SSO_ISSUER is not set. */
	sso: SsoConfig | null;
	/**
	 * The log-control rules (admin/log-control.ts, domain/log-control.ts): STEMME_LOG_BURST_PATIENTS
	 * different patients within STEMME_LOG_BURST_MINUTES count as many (defaults 20 and 10), and
	 * night runs from STEMME_LOG_NIGHT_FROM to STEMME_LOG_NIGHT_TO, whole hours on an Oslo clock
	 * (defaults 22 and 6).
	 */
	logControl: LogControlRules;
}

function logControlFrom(env: Env): LogControlRules {
	const d = DEFAULT_LOG_CONTROL_RULES;
	const hour = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= 23;
	const rules = {
		burstPatients: numberFrom(env, 'STEMME_LOG_BURST_PATIENTS', d.burstPatients, wholeFrom(2), 'a whole number from 2'),
		burstMinutes: numberFrom(env, 'STEMME_LOG_BURST_MINUTES', d.burstMinutes, (n) => wholeFrom(1)(n) && n <= 24 * 60, 'a whole number of minutes from 1 to 1440'),
		nightFromHour: numberFrom(env, 'STEMME_LOG_NIGHT_FROM', d.nightFromHour, hour, 'a whole hour from 0 to 23'),
		nightToHour: numberFrom(env, 'STEMME_LOG_NIGHT_TO', d.nightToHour, hour, 'a whole hour from 0 to 23')
	};
	if (rules.nightFromHour === rules.nightToHour) throw new ConfigError('STEMME_LOG_NIGHT_FROM and STEMME_LOG_NIGHT_TO must differ.');
	return rules;
}

/** The installation's OpenID Provider and Stemme's registration there (README: Single sign-on). */
export interface SsoConfig {
	/** STEMME_SSO_ISSUER: the provider's issuer URL (its discovery document is read from it). */
	issuer: string;
	/** STEMME_SSO_CLIENT_ID: Stemme's client id at the provider. */
	clientId: string;
	/** STEMME_SSO_KEY_FILE: a private JWK (JSON, with `alg` and `kid`) for private_key_jwt; read once at start. */
	privateJwk: JsonWebKey & { alg: string; kid?: string };
	/** STEMME_SSO_NAME: the provider's name on the sign-in button. Default "HelseID" with the HelseID profile, else "single sign-on". */
	name: string;
	/** STEMME_SSO_PROFILE: `helseid` (HPR number, security level, DPoP) or `standard`. Default standard. */
	profile: 'helseid' | 'standard';
	/** STEMME_SSO_DPOP: `on` or `off`; default on with the HelseID profile. */
	dpop: boolean;
	/** STEMME_SSO_SCOPE: the scopes asked for. Default `openid profile email` (HelseID adds its claims' scopes). */
	scope: string;
	/** STEMME_SSO_STRONG_LEVEL: the HelseID security level that counts as two factors. Default 4 (high). */
	strongLevel: number;
	/** STEMME_SSO_INSECURE_LOOPBACK: `on` lets an http:// issuer on loopback be used (tests only). */
	insecureLoopback: boolean;
}

function ssoFrom(env: Env): SsoConfig | null {
	const issuer = env.STEMME_SSO_ISSUER?.trim() ?? '';
	if (issuer === '') return null;
	let url: URL;
	try {
		url = new URL(issuer);
	} catch {
		throw new ConfigError(`STEMME_SSO_ISSUER="${issuer}" must be a URL.`);
	}
	const insecureLoopback = flagFrom(env, 'STEMME_SSO_INSECURE_LOOPBACK', 'on', 'off', false);
	const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
	if (url.protocol !== 'https:' && !(insecureLoopback && loopback)) throw new ConfigError('STEMME_SSO_ISSUER must start with https://.');
	const clientId = env.STEMME_SSO_CLIENT_ID?.trim() ?? '';
	if (clientId === '') throw new ConfigError('STEMME_SSO_CLIENT_ID must be set when STEMME_SSO_ISSUER is.');
	const keyFile = env.STEMME_SSO_KEY_FILE?.trim() ?? '';
	if (keyFile === '') throw new ConfigError('STEMME_SSO_KEY_FILE must be set when STEMME_SSO_ISSUER is.');
	let privateJwk: SsoConfig['privateJwk'];
	try {
		privateJwk = JSON.parse(readFileSync(keyFile, 'utf8'));
	} catch {
		throw new ConfigError(`STEMME_SSO_KEY_FILE="${keyFile}" must be a readable file holding a private JWK (JSON).`);
	}
	if (typeof privateJwk !== 'object' || privateJwk === null || typeof privateJwk.alg !== 'string' || typeof privateJwk.d !== 'string') {
		throw new ConfigError(`STEMME_SSO_KEY_FILE="${keyFile}" must hold a private JWK with "alg" and "d".`);
	}
	const profileRaw = env.STEMME_SSO_PROFILE?.trim() || 'standard';
	if (profileRaw !== 'helseid' && profileRaw !== 'standard') throw new ConfigError(`STEMME_SSO_PROFILE="${profileRaw}" must be "helseid" or "standard".`);
	const helseid = profileRaw === 'helseid';
	return {
		issuer,
		clientId,
		privateJwk,
		name: env.STEMME_SSO_NAME?.trim() || (helseid ? 'HelseID' : 'single sign-on'),
		profile: profileRaw,
		dpop: flagFrom(env, 'STEMME_SSO_DPOP', 'on', 'off', helseid),
		scope: env.STEMME_SSO_SCOPE?.trim() || (helseid ? 'openid profile helseid://scopes/identity/hpr_number helseid://scopes/identity/security_level' : 'openid profile email'),
		strongLevel: numberFrom(env, 'STEMME_SSO_STRONG_LEVEL', 4, wholeFrom(1), 'a whole number from 1'),
		insecureLoopback
	};
}

export interface MessagingConfig {
	/** ORIGIN: the address patients' links start with. Without it no message is sent (a link must work from outside). */
	origin: string | null;
	/** STEMME_SMTP_URL: the mail server, `smtp://user:password@host:port` or `smtps://…`. */
	smtpUrl: string | null;
	/** STEMME_MAIL_FROM: the sender of e-mails. Default `Stemme <noreply@stemme.invalid>`. */
	mailFrom: string;
	/** STEMME_SMS_URL and STEMME_SMS_KEY: the text-message gateway (README: its JSON contract) and its bearer key. */
	sms: { url: string; key: string } | null;
	/**
	 * STEMME_FOLLOW_UP_MONTHS, and per service STEMME_FOLLOW_UP_MONTHS_OUTPATIENT, _INPATIENT and
	 * _GROUP: the months after an episode's end its follow-up ratings are sent, comma-separated, or
	 * `none`. Default 1, 3 and 6 (domain/follow-up.ts).
	 */
	followUpMonths: Record<Setting, readonly number[]>;
	/** STEMME_LINK_BIRTH_DATE=on: the form opens only after the patient gives their birth date. Default off. */
	askBirthDate: boolean;
}

function monthsFrom(env: Env, name: string, fallback: readonly number[]): readonly number[] {
	const raw = env[name]?.trim();
	if (raw === undefined || raw === '') return fallback;
	if (raw === 'none') return [];
	const months = listFrom(raw, ',').map(Number);
	if (months.length === 0 || months.some((n) => !Number.isInteger(n) || n < 1 || n > MAX_FOLLOW_UP_MONTHS) || new Set(months).size !== months.length) {
		throw new ConfigError(`${name}="${raw}" must be whole months from 1 to ${MAX_FOLLOW_UP_MONTHS}, separated by commas and each once (like 1,3,6), or "none".`);
	}
	return [...months].sort((a, b) => a - b);
}

function followUpMonthsFrom(env: Env): Record<Setting, readonly number[]> {
	const all = monthsFrom(env, 'STEMME_FOLLOW_UP_MONTHS', DEFAULT_FOLLOW_UP_MONTHS);
	const of = (setting: Setting) => monthsFrom(env, `STEMME_FOLLOW_UP_MONTHS_${setting.toUpperCase()}`, all);
	return { outpatient: of('outpatient'), inpatient: of('inpatient'), group: of('group') };
}

function messagingFrom(env: Env): MessagingConfig {
	const url = (name: string, schemes: readonly string[]): string | null => {
		const raw = env[name]?.trim();
		if (raw === undefined || raw === '') return null;
		let parsed: URL;
		try {
			parsed = new URL(raw);
		} catch {
			throw new ConfigError(`${name}="${raw.replace(/\/\/[^@/]*@/, '//…@')}" must be a URL.`);
		}
		if (!schemes.includes(parsed.protocol)) throw new ConfigError(`${name} must start with ${schemes.map((s) => `${s}//`).join(' or ')}.`);
		return raw;
	};
	const smsUrl = url('STEMME_SMS_URL', ['http:', 'https:']);
	const smsKey = env.STEMME_SMS_KEY?.trim() ?? '';
	if (smsUrl !== null && smsKey === '') throw new ConfigError('STEMME_SMS_KEY must be set when STEMME_SMS_URL is.');
	return {
		origin: url('ORIGIN', ['http:', 'https:']),
		smtpUrl: url('STEMME_SMTP_URL', ['smtp:', 'smtps:']),
		mailFrom: env.STEMME_MAIL_FROM?.trim() || 'Stemme <noreply@stemme.invalid>',
		sms: smsUrl === null ? null : { url: smsUrl, key: smsKey },
		followUpMonths: followUpMonthsFrom(env),
		askBirthDate: flagFrom(env, 'STEMME_LINK_BIRTH_DATE', 'on', 'off', false)
	};
}

/** A value in the environment that cannot be used; the message names the variable. */
export class ConfigError extends Error {}

export type Env = Readonly<Record<string, string | undefined>>;

/** Defaults of the session limits: a working day, and a shared clinic device left alone for half an hour. */
export const DEFAULT_SESSION_HOURS = 12;
export const DEFAULT_SESSION_IDLE_MINUTES = 30;
/** Fewest closed local episodes before Stemme fits its own expected trajectories; below it the rule checkpoints of docs/clinical/change.md decide alone. */
export const DEFAULT_MODEL_MIN_EPISODES = 30;
export const DEFAULT_DATABASE_PATH = 'data/stemme.db';

function numberFrom(env: Env, name: string, fallback: number, check: (n: number) => boolean, what: string): number {
	const raw = env[name];
	if (raw === undefined || raw.trim() === '') return fallback;
	const n = Number(raw);
	if (!Number.isFinite(n) || !check(n)) throw new ConfigError(`${name}="${raw}" must be ${what}.`);
	return n;
}

const wholeFrom =
	(min: number) =>
	(n: number): boolean =>
		Number.isInteger(n) && n >= min;

function flagFrom(env: Env, name: string, on: string, off: string, fallback: boolean): boolean {
	const raw = env[name];
	if (raw === undefined || raw.trim() === '') return fallback;
	if (raw === on) return true;
	if (raw === off) return false;
	throw new ConfigError(`${name}="${raw}" must be "${on}" or "${off}".`);
}

/** The clinic's networks; one range that is not CIDR refuses the whole list. */
function networksFrom(env: Env): Network[] {
	const raw = env.STEMME_CLINIC_NETWORKS;
	const texts = raw === undefined || raw.trim() === '' ? [...DEFAULT_CLINIC_NETWORKS] : listFrom(raw, ',');
	return texts.map((text) => {
		const network = parseNetwork(text);
		if (network === null) throw new ConfigError(`STEMME_CLINIC_NETWORKS: "${text}" is not a CIDR range (such as 10.20.0.0/16 or fd00::/8).`);
		return network;
	});
}

function listFrom(raw: string | undefined, separator: string): string[] {
	return (raw ?? '')
		.split(separator)
		.map((s) => s.trim())
		.filter((s) => s !== '');
}

/**
 * Reads and checks the configuration. Throws ConfigError naming the variable.
 * @example configFrom({ STEMME_SESSION_IDLE_MINUTES: '15' }).session.idleMs // 900000
 */
export function configFrom(env: Env): Config {
	const hours = numberFrom(env, 'STEMME_SESSION_HOURS', DEFAULT_SESSION_HOURS, (n) => n > 0 && n <= 24 * 30, 'a number of hours above 0 and at most 720');
	const idle = numberFrom(env, 'STEMME_SESSION_IDLE_MINUTES', DEFAULT_SESSION_IDLE_MINUTES, (n) => n >= 1 && n <= 24 * 60, 'a number of minutes from 1 to 1440');
	if (idle * 60_000 > hours * 3_600_000) throw new ConfigError(`STEMME_SESSION_IDLE_MINUTES (${idle}) must not be longer than STEMME_SESSION_HOURS (${hours} h).`);
	let risk: RiskConfig;
	try {
		risk = riskConfigFrom(env);
	} catch (e) {
		if (e instanceof RiskConfigError) throw new ConfigError(e.message);
		throw e;
	}
	return {
		databasePath: (env.DATABASE_URL ?? DEFAULT_DATABASE_PATH).replace(/^file:/, ''),
		migrationsFolder: resolve(env.STEMME_MIGRATIONS ?? 'drizzle'),
		storageRetrySeconds: numberFrom(env, 'STEMME_STORAGE_RETRY_SECONDS', 30, (n) => n > 0, 'a number of seconds above 0'),
		demo: flagFrom(env, 'STEMME_DEMO', 'on', 'off', true),
		demoSetting: demoSetting(env.STEMME_DEMO),
		listening: { host: env.HOST, origin: env.ORIGIN },
		instrumentPacks: listFrom(env.STEMME_INSTRUMENT_PACKS, delimiter),
		preferredInstruments: listFrom(env.STEMME_INSTRUMENTS, ','),
		modelMinEpisodes: numberFrom(env, 'STEMME_MODEL_MIN_EPISODES', DEFAULT_MODEL_MIN_EPISODES, (n) => Number.isInteger(n) && n >= 2, 'a whole number from 2'),
		session: { absoluteMs: hours * 3_600_000, idleMs: idle * 60_000 },
		statistics: {
			minClinician: numberFrom(env, 'STEMME_STATS_MIN_CLINICIAN', MIN_CLINICIAN_EPISODES, wholeFrom(2), 'a whole number from 2'),
			minBenchmark: numberFrom(env, 'STEMME_STATS_MIN_BENCHMARK', MIN_BENCHMARK_EPISODES, wholeFrom(2), 'a whole number from 2')
		},
		clinicNetworks: networksFrom(env),
		risk,
		messaging: messagingFrom(env),
		sso: ssoFrom(env),
		logControl: logControlFrom(env)
	};
}

let cached: Config | null = null;

/** The installation's configuration, read from the environment on first use (the server's init) and kept. */
export function getConfig(): Config {
	// The one read of the environment in src/.
	if (cached === null) cached = configFrom(process.env);
	return cached;
}

/** Forgets the kept configuration (tests that change the environment). */
export function resetConfig(): void {
	cached = null;
}
