import QRCode from 'qrcode';
import { keyGroups, keyText, newTotpKey, parseKeyText, totpUri } from './totp';

export type EnrolmentView = { key: string; keyGroups: string[]; qr: string };

/** The issuer an authenticator app lists the account under. */
const ISSUER = 'Stemme';

/**
 * What a page shows to set up an authenticator: a fresh key as a QR code (a PNG data URL, so the
 * Content Security Policy needs no other image source), the key written out in groups, and the
 * key again for the form to send back with the first code. Nothing is stored until that code is
 * confirmed (confirmEnrolment), so showing the page writes nothing. A form refused (a mistyped
 * code) shows the key it sent again, the one the app has already scanned.
 */
export async function enrolmentView(username: string, sent?: string): Promise<EnrolmentView> {
	const key = (sent === undefined ? null : parseKeyText(sent)) ?? newTotpKey();
	const qr = await QRCode.toDataURL(totpUri(ISSUER, username, key), { errorCorrectionLevel: 'M', margin: 2, scale: 6 });
	return { key: keyText(key), keyGroups: keyGroups(key), qr };
}
