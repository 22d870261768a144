import QRCode from 'qrcode';

/**
 * A QR code for a link, as a PNG data URL for an <img>: error correction level M (15 % of the
 * code may be hidden by glare on a screen and still read), a quiet zone of 4 modules as the
 * standard asks, 6 pixels a module so a phone reads it from arm's length.
 */
export function qrPicture(url: string): Promise<string> {
	return QRCode.toDataURL(url, { errorCorrectionLevel: 'M', margin: 4, scale: 6 });
}
