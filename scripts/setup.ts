// `npm run setup -- --org "<organisation>" --admin <user name> [--name "<display name>"] [--language nb|nn|en]`:
// the command-line alternative to the setup link, for a server without a browser. Creates the
// organisation and its first administrator in the database the server uses (DATABASE_URL, as
// `npm start`: data/stemme.db), once. The password is read from standard input — typed without
// echo on a terminal, asked twice; or the first line of a pipe (for scripts and tests).
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { openDatabase } from '../src/lib/server/db/open';
import { completeSetup } from '../src/lib/server/setup/first-start';
import { passwordProblemMessage } from '../src/lib/server/auth/password-rules';
import { locales, type Locale } from '../src/lib/server/db/schema';
import { overwriteGetLocale } from '../src/lib/paraglide/runtime.js';
import { m } from '../src/lib/paraglide/messages.js';

const { values } = parseArgs({
	options: { org: { type: 'string' }, admin: { type: 'string' }, name: { type: 'string' }, language: { type: 'string', default: 'nb' } },
	strict: true
});

function fail(message: string): never {
	console.error(`Stemme setup: ${message}`);
	process.exit(1);
}

const org = values.org?.trim() ?? '';
const username = values.admin?.trim().toLowerCase() ?? '';
const language = values.language as Locale;
if (org === '' || org.length > 120) fail('--org "<organisation>" is required (at most 120 characters).');
if (!/^[a-z0-9][a-z0-9._-]{1,39}$/.test(username)) fail('--admin <user name> is required: 2–40 lower-case letters, digits, dot, dash or underscore.');
if (!locales.includes(language)) fail(`--language must be one of ${locales.join(', ')}.`);
const displayName = (values.name ?? username).trim().slice(0, 100);
// The password rules' messages in the admin's language.
overwriteGetLocale(() => language);

/** One line from standard input; on a terminal without echoing what is typed. */
function readSecret(prompt: string): Promise<string> {
	const input = process.stdin;
	const tty = input.isTTY === true;
	const rl = createInterface({ input, output: tty ? process.stderr : undefined, terminal: tty });
	if (tty) {
		process.stderr.write(prompt);
		// Keep the typed characters off the screen.
		(rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
	}
	return new Promise((resolve) => {
		let answered = false;
		rl.once('line', (line) => {
			answered = true;
			if (tty) process.stderr.write('\n');
			rl.close();
			resolve(line);
		});
		rl.once('close', () => {
			if (!answered) resolve('');
		});
	});
}

const password = await readSecret(`Password for ${username}: `);
if (process.stdin.isTTY === true && (await readSecret('Repeat the password: ')) !== password) fail('the two passwords differ; nothing was stored.');
if (password === '') fail('no password given on standard input; nothing was stored.');

const databasePath = (process.env.DATABASE_URL ?? 'data/stemme.db').replace(/^file:/, '');
const db = openDatabase(databasePath);
try {
	const result = await completeSetup(db, null, { organisation: org, username, displayName, preferredLocale: language, password }, null, new Date());
	if (!result.ok) {
		if (result.reason === 'weak_password') fail(`${passwordProblemMessage(result.problem, m.login_password())} Nothing was stored.`);
		if (result.reason === 'already_set_up') fail(`${databasePath} already has an organisation; nothing was stored. Sign in as its administrator instead.`);
		fail(`the user name ${username} is taken; nothing was stored.`);
	}
	console.log(`Stemme setup: created "${org}" and its administrator ${username} in ${databasePath}. Start the server (npm start) and sign in.`);
} finally {
	db.$client.close();
}
