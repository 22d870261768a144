import nodemailer from 'nodemailer';
import type { MessagingConfig } from '../config';
import type { Sender, Senders } from './outbox';

/** E-mail over SMTP (nodemailer); the server's answer is the reason kept when it refuses. */
export function emailSender(smtpUrl: string, from: string): Sender {
	const transport = nodemailer.createTransport(smtpUrl);
	return async (message) => {
		await transport.sendMail({ from, to: message.recipient, subject: message.subject, text: message.body });
	};
}

/**
 * Text messages through an HTTP gateway a health trust runs or buys. The contract (README,
 * "Text-message gateway"): `POST <STEMME_SMS_URL>` with `Authorization: Bearer <STEMME_SMS_KEY>`
 * and the JSON body `{ "to": "+4791234567", "text": "…" }`; any 2xx is sent, anything else is a
 * failure tried again later, with the gateway's status and the start of its answer as the reason.
 */
export function smsSender(url: string, key: string, timeoutMs = 10_000): Sender {
	return async (message) => {
		const response = await fetch(url, {
			method: 'POST',
			headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'application/json' },
			body: JSON.stringify({ to: message.recipient, text: message.body }),
			signal: AbortSignal.timeout(timeoutMs)
		});
		if (!response.ok) throw new Error(`gateway answered ${response.status}: ${(await response.text().catch(() => '')).slice(0, 200)}`);
	};
}

/** The senders the installation has configured; a channel without one keeps its messages queued. */
export function configuredSenders(config: MessagingConfig): Senders {
	return {
		...(config.smtpUrl === null ? {} : { email: emailSender(config.smtpUrl, config.mailFrom) }),
		...(config.sms === null ? {} : { sms: smsSender(config.sms.url, config.sms.key) })
	};
}
