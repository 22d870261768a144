import { describe, expect, it } from 'vitest';
import { formBodyProblem } from './form';
import { text } from './risk/forms';
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
