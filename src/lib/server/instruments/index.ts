import { delimiter } from 'node:path';
import type { Registry } from '../../domain/registry';
import { loadInstrumentPacks } from './load-packs';
import { getConfig, resetConfig } from '../config';

export { InstrumentPackError, loadInstrumentPacks } from './load-packs';

/** Environment variable naming the folder(s) of licensed instrument packs, separated like PATH. */
export const PACKS_ENV = 'STEMME_INSTRUMENT_PACKS';

let cached: Registry | null = null;

/**
 * The folders named by the environment value; none when unset or blank.
 * @example packDirsFromEnv('/srv/packs:/srv/more') // ['/srv/packs', '/srv/more'] on Linux
 */
export function packDirsFromEnv(value: string | undefined): string[] {
	if (value === undefined) return [];
	return value
		.split(delimiter)
		.map((dir) => dir.trim())
		.filter((dir) => dir !== '');
}

/**
 * The instrument registry: built-ins plus the packs in STEMME_INSTRUMENT_PACKS (config.ts), loaded on first
 * use and cached. Throws InstrumentPackError (and caches nothing) when a pack is broken; call it
 * at start so a broken pack stops the server with a clear message.
 * @example getRegistry().instruments.length // 4 without packs
 */
export function getRegistry(): Registry {
	if (cached === null) cached = loadInstrumentPacks(getConfig().instrumentPacks);
	return cached;
}

/** Forgets the cached registry (tests, or after an administrator changed the packs). */
export function resetRegistry(): void {
	cached = null;
	resetConfig();
}
