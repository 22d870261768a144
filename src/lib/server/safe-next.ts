/**
 * Where to go after signing in or choosing a language: a path on this site, never another host.
 *
 * The `next` the app itself writes is `url.pathname + url.search` (percent-encoded, printable
 * ASCII). Anything else was made by hand: a control character (CR, LF, NUL; a TAB, which
 * browsers drop, so `/\t/evil.example` becomes `//evil.example`) or a character outside ASCII
 * (U+3002 is read as a dot in a host name) is refused, and the caller answers 400. What remains
 * is parsed the way a browser would resolve it, `new URL(next, origin)`, and kept only if it
 * lands on the same origin — so `//host`, `/\host`, `https://host` and tricks not listed here
 * all fall back to the default.
 */
export type NextTarget = { ok: true; path: string } | { ok: false };

/** Printable ASCII, space excluded (the app percent-encodes one). */
const PRINTABLE = /^[\x21-\x7e]*$/;

export function safeNext(next: string | null | undefined, origin: string, fallback = '/today'): NextTarget {
	if (next === null || next === undefined || next === '') return { ok: true, path: fallback };
	if (!PRINTABLE.test(next)) return { ok: false };
	if (!next.startsWith('/')) return { ok: true, path: fallback };
	let url: URL;
	try {
		url = new URL(next, origin);
	} catch {
		return { ok: false };
	}
	if (url.origin !== new URL(origin).origin) return { ok: true, path: fallback };
	return { ok: true, path: url.pathname + url.search + url.hash };
}
