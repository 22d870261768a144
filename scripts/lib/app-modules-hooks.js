// Module hooks for scripts/lib/app-modules.js (they run on the loader thread).
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const LIB = pathToFileURL(join(process.cwd(), 'src', 'lib') + '/').href;

export async function resolve(specifier, context, next) {
	if (specifier.startsWith('$lib/')) {
		const rest = specifier.slice('$lib/'.length);
		// The compiled messages are JavaScript; the app's own modules are TypeScript (tsx resolves the extension).
		return next(new URL(rest, LIB).href, context);
	}
	if (specifier.endsWith('?raw')) {
		const resolved = await next(specifier.slice(0, -'?raw'.length), context);
		return { ...resolved, url: `${resolved.url}?raw`, format: 'module', shortCircuit: true };
	}
	return next(specifier, context);
}

export async function load(url, context, next) {
	if (url.endsWith('?raw')) {
		const text = await readFile(new URL(url.slice(0, -'?raw'.length)), 'utf8');
		return { format: 'module', source: `export default ${JSON.stringify(text)};`, shortCircuit: true };
	}
	return next(url, context);
}
