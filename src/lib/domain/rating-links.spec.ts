import { describe, expect, it } from 'vitest';
import { LINK_TOKEN, linkExpiry, linkState } from './rating-links';

const sent = new Date('2026-12-03T10:00:00Z');
const start = new Date('2026-12-04T09:00:00Z');

describe('linkExpiry', () => {
	it('keeps an in-room link for two hours', () => {
		expect(linkExpiry('in_room', sent, start).toISOString()).toBe('2026-12-03T12:00:00.000Z');
	});
	it('keeps a link sent before the appointment until the session starts', () => {
		expect(linkExpiry('before', sent, start)).toEqual(start);
	});
	it('keeps the alliance form after a video session for 24 hours', () => {
		expect(linkExpiry('after', sent, start).toISOString()).toBe('2026-12-04T10:00:00.000Z');
	});
	it('keeps a follow-up link for 4 days', () => {
		expect(linkExpiry('follow_up', sent, start).toISOString()).toBe('2026-12-07T10:00:00.000Z');
	});
});

describe('linkState', () => {
	const expiresAt = new Date('2026-12-03T12:00:00Z');
	it('is open before its expiry', () => {
		expect(linkState({ answeredAt: null, expiresAt, withdrawnAt: null }, new Date('2026-12-03T11:59:59Z'))).toBe('open');
	});
	it('has expired at its expiry, not a millisecond later', () => {
		expect(linkState({ answeredAt: null, expiresAt, withdrawnAt: null }, expiresAt)).toBe('expired');
	});
	it('says answered even after the expiry', () => {
		expect(linkState({ answeredAt: new Date('2026-12-03T11:00:00Z'), expiresAt, withdrawnAt: null }, new Date('2026-12-05T00:00:00Z'))).toBe('answered');
	});
	it('is withdrawn once the clinician made a new one', () => {
		expect(linkState({ answeredAt: null, expiresAt, withdrawnAt: new Date('2026-12-03T10:30:00Z') }, new Date('2026-12-03T10:31:00Z'))).toBe('withdrawn');
	});
});

describe('LINK_TOKEN', () => {
	it('takes 26 base32 characters only', () => {
		expect(LINK_TOKEN.test('abcdefghijklmnopqrstuvwxyz')).toBe(true);
		expect(LINK_TOKEN.test('abcdefghijklmnopqrstuvwxy1')).toBe(false);
		expect(LINK_TOKEN.test('abcdefghijklmnopqrstuvwxy')).toBe(false);
		expect(LINK_TOKEN.test('ABCDEFGHIJKLMNOPQRSTUVWXYZ')).toBe(false);
	});
});
