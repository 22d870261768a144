import { describe, expect, it } from 'vitest';
import { emailAddress, mobileNumber, parseConsentForm } from './consent-form';

const form = (fields: Record<string, string>) => {
	const f = new FormData();
	for (const [k, v] of Object.entries(fields)) f.set(k, v);
	return f;
};

describe('the consent form', () => {
	it('keeps a Norwegian mobile number in E.164, however it was typed', () => {
		for (const typed of ['91234567', '912 34 567', '+47 912 34 567', '0047 91234567', '41234567']) expect(mobileNumber(typed)).toMatch(/^\+47[49]\d{7}$/);
		expect(mobileNumber('+46 70 123 45 67')).toBe('+46701234567');
		for (const bad of ['21234567', '9123456', '+47 9123456', 'nine', '+0123456789', '9999-12-31', '912.34.567']) expect(mobileNumber(bad)).toBeNull();
	});
	it('takes an e-mail address with one @ and a dotted domain', () => {
		expect(emailAddress(' ola@example.no ')).toBe('ola@example.no');
		for (const bad of ['ola', 'ola@', 'ola@example', 'a b@example.no', `${'x'.repeat(200)}@example.no`, '<script>@x.no']) expect(emailAddress(bad)).toBeNull();
	});
	it('names the field that is wrong', () => {
		expect(parseConsentForm(form({ channel: 'fax', address: '1' }))).toMatchObject({ ok: false, field: 'channel' });
		expect(parseConsentForm(form({ channel: 'sms', address: '' }))).toMatchObject({ ok: false, field: 'address' });
		expect(parseConsentForm(form({ channel: 'email', address: 'nope' }))).toMatchObject({ ok: false, field: 'address' });
		expect(parseConsentForm(form({ channel: 'sms', address: '912 34 567' }))).toEqual({ ok: true, value: { channel: 'sms', address: '+4791234567' } });
	});
});
