import { baseURL, databasePath, demoPassword } from './browser';
import { codeFor, nextCode, stepNow, TWO_FACTOR_PATH } from './two-factor';

/** What the server answered, with the redirect target kept (redirects are not followed). */
export interface Answer {
	status: number;
	location: string | null;
	type: string;
	body: string;
	headers: Headers;
}

export type FormPairs = [string, string][];

export interface Send {
	/** Form fields as pairs, so a test can repeat a field. */
	form?: FormPairs | Record<string, string>;
	json?: unknown;
	/** A raw body with its content type, for bodies no form would produce. */
	raw?: { body: string; type: string };
	headers?: Record<string, string>;
}

/**
 * A client that talks HTTP to the test server like a browser without JavaScript: it keeps
 * cookies, sends the origin header a browser sends with a form post (SvelteKit's CSRF check),
 * and reports every answer as it is — redirects included, never followed.
 */
export class Client {
	private readonly cookies = new Map<string, string>();
	readonly base: string;

	constructor(base = baseURL()) {
		this.base = base;
	}

	hasCookie(name: string): boolean {
		return this.cookies.has(name);
	}

	async request(method: string, path: string, send: Send = {}): Promise<Answer> {
		const headers = new Headers(send.headers);
		if (!headers.has('origin') && method !== 'GET') headers.set('origin', this.base);
		// As a browser asks for a page; with fetch's */* SvelteKit would answer an action in JSON.
		if (!headers.has('accept')) headers.set('accept', 'text/html,application/xhtml+xml,*/*;q=0.8');
		if (this.cookies.size > 0) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
		let body: string | undefined;
		if (send.form !== undefined) {
			body = new URLSearchParams(Array.isArray(send.form) ? send.form : Object.entries(send.form)).toString();
			headers.set('content-type', 'application/x-www-form-urlencoded');
		} else if (send.json !== undefined) {
			body = JSON.stringify(send.json);
			headers.set('content-type', 'application/json');
		} else if (send.raw !== undefined) {
			body = send.raw.body;
			headers.set('content-type', send.raw.type);
		}
		const res = await fetch(new URL(path, this.base), { method, headers, body, redirect: 'manual' });
		for (const line of res.headers.getSetCookie()) this.keepCookie(line);
		return { status: res.status, location: res.headers.get('location'), type: res.headers.get('content-type') ?? '', body: await res.text(), headers: res.headers };
	}

	get(path: string): Promise<Answer> {
		return this.request('GET', path);
	}

	post(path: string, send: Send = {}): Promise<Answer> {
		return this.request('POST', path, send);
	}

	/**
	 * Signs in through the sign-in form, and through the second factor where one is owed (an
	 * administrator: set up the first time from the key in the enrolment form, a code from the
	 * server's database after that); fails the test if the server does not let the user in.
	 */
	async signIn(username: string, password = demoPassword(), database = databasePath()): Promise<this> {
		const answer = await this.post('/login', { form: { username, password } });
		if (answer.status !== 303 || !this.hasCookie('stemme_session')) throw new Error(`${username} could not sign in: ${answer.status} ${answer.body.slice(0, 200)}`);
		if (answer.location?.startsWith(TWO_FACTOR_PATH)) await this.passTwoFactor(username, answer.location, database);
		return this;
	}

	private async passTwoFactor(username: string, location: string, database: string): Promise<void> {
		const page = await this.get(location);
		const next = new URL(location, this.base).searchParams.get('next') ?? '';
		const key = /name="key" value="([A-Z2-7]+)"/.exec(page.body)?.[1];
		const answer =
			key === undefined
				? await this.post(`${TWO_FACTOR_PATH}?/code`, { form: { code: await nextCode(database, username), next } })
				: await this.post(`${TWO_FACTOR_PATH}?/enrol`, { form: { key, code: codeFor(key, stepNow()), next } });
		const passed = key === undefined ? answer.status === 303 : answer.status === 200 && answer.body.includes('recovery-codes-title');
		if (!passed) throw new Error(`${username} could not pass the second factor: ${answer.status} ${answer.body.slice(0, 200)}`);
	}

	private keepCookie(line: string): void {
		const [pair, ...attributes] = line.split(';');
		const at = pair!.indexOf('=');
		const name = pair!.slice(0, at).trim();
		const value = pair!.slice(at + 1).trim();
		const gone = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]!) < Date.now()));
		if (gone || value === '') this.cookies.delete(name);
		else this.cookies.set(name, value);
	}
}
