import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export type Mail = { to: string; subject: string; body: string };

/** A real SMTP server (smtp-server) on loopback for the outbox's tests: what arrives, and a switch that refuses it. */
export interface MailServer {
	port: number;
	mails: Mail[];
	/** While true, every recipient is refused with 450 (a mailbox unavailable for now). */
	refuse: boolean;
	close(): Promise<void>;
}

function decodeQuotedPrintable(text: string): string {
	const bytes = text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
	return Buffer.from(bytes, 'latin1').toString('utf8');
}

export async function startMailServer(): Promise<MailServer> {
	const state: MailServer = { port: 0, mails: [], refuse: false, close: async () => {} };
	const smtp = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		onRcptTo(_address, _session, callback) {
			if (state.refuse) return callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 450 }));
			callback();
		},
		onData(stream, session, callback) {
			let raw = '';
			stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
			stream.on('end', () => {
				const [head, ...rest] = raw.split('\r\n\r\n');
				const subject = /^Subject: (.*)$/m.exec(head ?? '')?.[1] ?? '';
				state.mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), subject, body: decodeQuotedPrintable(rest.join('\r\n\r\n')) });
				callback();
			});
		}
	});
	await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
	state.port = (smtp.server.address() as AddressInfo).port;
	state.close = () => new Promise<void>((resolve) => smtp.close(() => resolve()));
	return state;
}
