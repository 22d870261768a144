import { describe, expect, it } from 'vitest';
import { formBodyProblem } from './form';
import { id, isCalendarDate, text } from './risk/forms';
import { parseDischargeForm } from './milestones/forms';

const post = (body: BodyInit, type: string) => new Request('http://x/', { method: 'POST', body, headers: { 'content-type': type } });
const form = (pairs: [string, string][]) => {
	const f = new FormData();
	for (const [k, v] of pairs) f.append(k, v);
	return f;
};

describe('a form body before any action reads it', () => {
	it.each([
		['a plain form', post('a=1&b=2', 'application/x-www-form-urlencoded'), null],
		['a field sent twice', post('a=1&a=2', 'application/x-www-form-urlencoded'), { problem: 'repeated', field: 'a' }],
		['broken multipart', post('--b\r\nbroken', 'multipart/form-data; boundary=b'), { problem: 'unreadable' }],
		['text/plain (a form can send it, FormData cannot read it)', post('a=1', 'text/plain'), { problem: 'unreadable' }],
		[
			'a file',
			post('--b\r\nContent-Disposition: form-data; name="f"; filename="x.txt"\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--\r\n', 'multipart/form-data; boundary=b'),
			{ problem: 'file', field: 'f' }
		]
	] as const)('%s', async (_, request, expected) => {
		expect(await formBodyProblem(request)).toEqual(expected);
	});

	it('leaves the body for the action to read', async () => {
		const request = post('a=1', 'application/x-www-form-urlencoded');
		await formBodyProblem(request);
		expect((await request.formData()).get('a')).toBe('1');
	});
});

describe('free text', () => {
	it.each([
		['Ring meg 😊 på fredag\nhvis jeg uteblir', true],
		['مرحبا \u202E', true],
		['a\u0000b', false],
		['a\u001Bb', false],
		['tab\tis fine', true]
	] as const)('%j is accepted: %s', (value, ok) => {
		expect(text(form([['note', value]]), 'note', 'Note', 100, true).ok).toBe(ok);
	});
});

describe('free text answers with the field named', () => {
	it.each([
		['missing', [], 'Note', 'required'],
		['blank', [['note', '  \r\n ']], 'Note', 'required'],
		['too long', [['note', 'x'.repeat(11)]], 'Note', 'too long'],
		['a control character', [['note', 'a\u0007b']], 'Note', 'invalid']
	] as const)('%s', (_, pairs, field, kind) => {
		const result = text(form(pairs.map(([k, v]) => [k, v])), 'note', field, 10, true);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.message).toContain(field);
		// nb messages: "må fylles ut" (required), "er for langt" (too long), otherwise "har en ugyldig verdi".
		expect(result.message).toMatch({ required: /må fylles ut/, 'too long': /for lang/, invalid: /ugyldig verdi/ }[kind]);
	});

	it('trims and keeps line breaks as \\n', () => {
		expect(text(form([['note', ' a\r\nb ']]), 'note', 'Note', 10, true)).toEqual({ ok: true, value: 'a\nb' });
	});
});

describe('record ids and dates', () => {
	it.each([
		['1', 1],
		['4294967296', 4294967296],
		['0', null],
		['01', null],
		['-3', null],
		['1e3', null],
		['12345678901', null], // 11 digits: past any id Stemme hands out
		[' 7', null]
	] as const)('id %j → %s', (raw, expected) => {
		const result = id(form([['flag', raw]]), 'flag', 'Flag');
		expect(result.ok ? result.value : null).toBe(expected);
	});

	it.each([
		['2026-02-28', true],
		['2028-02-29', true], // a leap year
		['2026-02-29', false],
		['2026-13-01', false],
		['1999-12-31', false],
		['2026-1-5', false]
	] as const)('date %s: %s', (value, ok) => {
		expect(isCalendarDate(value)).toBe(ok);
	});
});

describe('the discharge plan’s phone number', () => {
	it.each([
		['+47 400 00 000', true],
		['113', true],
		['(+47) 22-33-44-55', true],
		['12', false],
		['99999999999999999999999', false], // 23 digits: more than E.164's 15
		['+47 abc', false]
	] as const)('%s: %s', (phone, ok) => {
		expect(parseDischargeForm(form([['contactPhone', phone]])).ok).toBe(ok);
	});
});
