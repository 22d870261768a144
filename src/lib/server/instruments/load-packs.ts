import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { builtInInstruments } from '../../domain/instruments';
import { type PackContent, type PackFile, type Registry, createRegistry } from '../../domain/registry';

/**
 * A licensed instrument pack on disk:
 *
 *   <pack folder>/pack.json          { id, name, licence: { holder, note: { nb, en, … } }, languages? }
 *   <pack folder>/instruments/*.json one instrument definition each (see instrument-schema.ts)
 *   <pack folder>/tables/*.json      optional expected-response tables (see expected-table.ts)
 *
 * A configured directory is either one pack folder (it has a pack.json) or a folder of pack
 * folders. Loading is all or nothing: any broken file refuses every pack, with one error listing
 * every problem, so an installation never runs half-loaded.
 */
export class InstrumentPackError extends Error {
	constructor(readonly problems: readonly string[]) {
		super(`Instrument packs refused; nothing was loaded:\n- ${problems.join('\n- ')}`);
		this.name = 'InstrumentPackError';
	}
}

const MANIFEST = 'pack.json';
const INSTRUMENTS = 'instruments';
const TABLES = 'tables';

/**
 * The built-in instruments plus every pack found in `dirs`; throws InstrumentPackError listing
 * every problem when anything is broken.
 * @example loadInstrumentPacks(['/etc/stemme/packs']).packs.map((p) => p.name) // ['KOR (licensed)']
 */
export function loadInstrumentPacks(dirs: string | readonly string[]): Registry {
	const problems: string[] = [];
	const packs: PackContent[] = [];
	for (const dir of typeof dirs === 'string' ? [dirs] : dirs) {
		for (const folder of packFolders(dir, problems)) {
			const pack = readPack(folder, problems);
			if (pack !== null) packs.push(pack);
		}
	}
	const result = createRegistry(builtInInstruments, packs);
	if (!result.ok) throw new InstrumentPackError([...problems, ...result.errors]);
	if (problems.length > 0) throw new InstrumentPackError(problems);
	return result.registry;
}

/** `dir` itself when it holds a pack.json, else each visible sub-folder. */
function packFolders(dir: string, problems: string[]): string[] {
	if (!isDirectory(dir)) {
		problems.push(`instrument pack folder "${dir}" does not exist or is not a folder`);
		return [];
	}
	if (existsSync(join(dir, MANIFEST))) return [dir];
	return readdirSync(dir)
		.filter((name) => !name.startsWith('.'))
		.sort()
		.map((name) => join(dir, name))
		.filter(isDirectory);
}

/** Reads one pack folder; JSON syntax errors are problems, field checks happen in the domain. */
function readPack(folder: string, problems: string[]): PackContent | null {
	const name = basename(folder);
	const manifestPath = join(folder, MANIFEST);
	if (!existsSync(manifestPath)) {
		problems.push(`pack folder "${name}": ${MANIFEST} is missing`);
		return null;
	}
	const manifest = readJson(folder, MANIFEST, name, problems);
	const instruments = readJsonFiles(folder, INSTRUMENTS, name, problems);
	const tables = readJsonFiles(folder, TABLES, name, problems);
	// Files that parsed are still checked, so one run reports every problem.
	if (manifest === undefined) return null;
	if (instruments.length === 0) problems.push(`pack folder "${name}": ${INSTRUMENTS}/ holds no .json instrument file`);
	return { folder: name, manifest, instruments, tables };
}

function readJsonFiles(folder: string, sub: string, name: string, problems: string[]): PackFile[] {
	const dir = join(folder, sub);
	if (!isDirectory(dir)) return [];
	const files: PackFile[] = [];
	for (const entry of readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()) {
		const file = `${sub}/${entry}`;
		const data = readJson(folder, file, name, problems);
		if (data !== undefined) files.push({ file, data });
	}
	return files;
}

/** Parsed JSON, or undefined after recording why not. */
function readJson(folder: string, file: string, name: string, problems: string[]): unknown {
	try {
		return JSON.parse(readFileSync(join(folder, file), 'utf8')) as unknown;
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		problems.push(`pack folder "${name}" (${file}): not valid JSON: ${reason}`);
		return undefined;
	}
}

function isDirectory(path: string): boolean {
	return existsSync(path) && statSync(path).isDirectory();
}
