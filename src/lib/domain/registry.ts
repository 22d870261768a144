import { z } from 'zod';
import { type ExpectedTable, validateExpectedTable } from './expected-table';
import { formatIssues } from './format-issues';
import { type InstrumentDefinition, validateInstrument } from './instrument-schema';
import { LANGUAGES, type Localized } from './localized';

/** What a pack's `pack.json` says about itself. */
export interface PackInfo {
	id: string;
	name: string;
	licence: { holder: string; note: Localized };
	/** Languages every text in the pack must carry (default: nb, nn, en). */
	languages: readonly string[];
}

/** One JSON file of a pack, already parsed; `file` is its path inside the pack folder. */
export interface PackFile {
	file: string;
	data: unknown;
}

/** A pack as read from disk by the server; validation happens here, in the domain. */
export interface PackContent {
	/** The folder name, used in messages until the manifest is known to be valid. */
	folder: string;
	manifest: unknown;
	instruments: readonly PackFile[];
	tables: readonly PackFile[];
}

export type InstrumentOrigin = { kind: 'built-in' } | { kind: 'pack'; pack: PackInfo; file: string };

export interface RegisteredInstrument {
	definition: InstrumentDefinition;
	origin: InstrumentOrigin;
}

export interface RegisteredTable {
	table: ExpectedTable;
	pack: PackInfo;
	file: string;
}

export interface Registry {
	instruments: readonly RegisteredInstrument[];
	tables: readonly RegisteredTable[];
	packs: readonly PackInfo[];
}

const manifestSchema = z
	.object({
		id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
		name: z.string().min(1),
		licence: z.object({ holder: z.string().min(1), note: z.record(z.string(), z.string().min(1)) }).strict(),
		languages: z.array(z.string().min(2)).min(1).optional()
	})
	.strict();

const keyOf = (id: string, version: number): string => `${id}@${version}`;

/**
 * Builds the registry from the built-in list and the packs: all or nothing. A pack may add
 * instruments and expected-response tables, never replace an id+version already registered.
 * @example createRegistry(builtInInstruments, []) // { ok: true, registry: { instruments: [...5], ... } }
 */
export function createRegistry(builtIns: readonly InstrumentDefinition[], packs: readonly PackContent[]): { ok: true; registry: Registry } | { ok: false; errors: string[] } {
	const errors: string[] = [];
	const instruments = new Map<string, RegisteredInstrument>();
	const tables: RegisteredTable[] = [];
	const packInfos: PackInfo[] = [];

	for (const builtIn of builtIns) {
		const result = validateInstrument(builtIn, `built-in instrument "${builtIn.id}"`);
		if (!result.ok) errors.push(...result.errors);
		else addInstrument(result.value, { kind: 'built-in' }, `built-in instrument "${builtIn.id}"`);
	}

	for (const pack of packs) {
		const parsed = manifestSchema.safeParse(pack.manifest);
		if (!parsed.success) {
			errors.push(...formatIssues(parsed.error.issues, pack.manifest, `pack folder "${pack.folder}" (pack.json)`));
			continue;
		}
		const info: PackInfo = { ...parsed.data, languages: parsed.data.languages ?? LANGUAGES };
		if (packInfos.some((other) => other.id === info.id)) {
			errors.push(`pack folder "${pack.folder}" (pack.json): id "${info.id}" is used by another pack`);
			continue;
		}
		packInfos.push(info);
		for (const { file, data } of pack.instruments) {
			const source = `pack "${info.id}" (${file})`;
			const withLicence = isObject(data) && data.licence === undefined ? { ...data, licence: info.licence } : data;
			const result = validateInstrument(withLicence, source, info.languages);
			if (!result.ok) errors.push(...result.errors);
			else addInstrument(result.value, { kind: 'pack', pack: info, file }, source);
		}
		for (const { file, data } of pack.tables) {
			const result = validateExpectedTable(data, `pack "${info.id}" (${file})`);
			if (!result.ok) errors.push(...result.errors);
			else tables.push({ table: result.value, pack: info, file });
		}
	}

	for (const { table, pack, file } of tables) {
		if (!instruments.has(keyOf(table.instrument.id, table.instrument.version))) {
			errors.push(`pack "${pack.id}" (${file}): instrument "${table.instrument.id}" version ${table.instrument.version} is not registered`);
		}
	}

	if (errors.length > 0) return { ok: false, errors };
	return { ok: true, registry: { instruments: [...instruments.values()], tables, packs: packInfos } };

	function addInstrument(definition: InstrumentDefinition, origin: InstrumentOrigin, source: string): void {
		const key = keyOf(definition.id, definition.version);
		const existing = instruments.get(key);
		if (existing !== undefined) {
			const where = existing.origin.kind === 'built-in' ? 'a built-in instrument' : `pack "${existing.origin.pack.id}"`;
			errors.push(`${source}: id "${definition.id}" version ${definition.version} is already registered by ${where}`);
			return;
		}
		instruments.set(key, { definition, origin });
	}
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The instrument with this id, at `version` or else at its highest version; null when unknown.
 * @example getInstrument(registry, 'stemme-outcome-adult')?.definition.version // 1
 */
export function getInstrument(registry: Registry, id: string, version?: number): RegisteredInstrument | null {
	let best: RegisteredInstrument | null = null;
	for (const entry of registry.instruments) {
		if (entry.definition.id !== id) continue;
		if (version !== undefined) {
			if (entry.definition.version === version) return entry;
		} else if (best === null || entry.definition.version > best.definition.version) {
			best = entry;
		}
	}
	return best;
}

/**
 * The licensed expected-response table for an instrument version; null when none is loaded.
 * @example getExpectedTable(registry, 'sample-outcome', 1)?.table.rows.length // 3
 */
export function getExpectedTable(registry: Registry, id: string, version: number): ExpectedTable | null {
	const found = registry.tables.find((t) => t.table.instrument.id === id && t.table.instrument.version === version);
	return found === undefined ? null : found.table;
}
