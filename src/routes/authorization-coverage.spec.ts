import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/**
 * Every protected load and action must call a guard itself — a guard in a layout does not
 * protect an action, and layouts do not run for every request. This walks the route files and
 * fails where a server module forgets. A route that is public on purpose says so in a
 * `// Public:` comment and is listed here.
 */
const PUBLIC = new Set(['login/+page.server.ts', 'locale/+page.server.ts', 'health/+server.ts', 'load-ceiling/+server.ts']);
const GUARD = /\brequire(User|Role|Patient|Appointment|Handoff)\(/;
const ROUTES = 'src/routes';

function serverModules(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return serverModules(path);
		return /^\+(page|layout)\.server\.ts$|^\+server\.ts$/.test(name) ? [path] : [];
	});
}

/**
 * Exported loads, actions and request handlers, each with the source of its body, read with the
 * TypeScript parser. Actions are written inline (`name: async (event) => …`) or mapped to
 * functions of the module (`export const actions = { hand, status: setStatus }`).
 */
function handlers(file: string, source: string): { name: string; body: string }[] {
	const tree = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
	const functions = new Map<string, string>();
	const found: { name: string; body: string }[] = [];
	const bodyOf = (node: ts.Node | undefined): string => {
		if (node === undefined) return '';
		if (ts.isIdentifier(node)) return functions.get(node.text) ?? '';
		return node.getText(tree);
	};
	for (const statement of tree.statements) {
		if (ts.isFunctionDeclaration(statement) && statement.name) functions.set(statement.name.text, statement.getText(tree));
		if (ts.isVariableStatement(statement)) {
			for (const d of statement.declarationList.declarations) {
				if (ts.isIdentifier(d.name) && d.initializer && (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer))) {
					functions.set(d.name.text, d.initializer.getText(tree));
				}
			}
		}
	}
	for (const statement of tree.statements) {
		const exported = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
		if (!exported) continue;
		if (ts.isFunctionDeclaration(statement) && statement.name) found.push({ name: statement.name.text, body: statement.getText(tree) });
		if (!ts.isVariableStatement(statement)) continue;
		for (const d of statement.declarationList.declarations) {
			if (!ts.isIdentifier(d.name)) continue;
			let init = d.initializer;
			while (init && (ts.isSatisfiesExpression(init) || ts.isAsExpression(init))) init = init.expression;
			if (d.name.text === 'actions' && init && ts.isObjectLiteralExpression(init)) {
				for (const p of init.properties) {
					if (ts.isShorthandPropertyAssignment(p)) found.push({ name: p.name.text, body: bodyOf(p.name) });
					else if (ts.isPropertyAssignment(p)) found.push({ name: p.name.getText(tree), body: bodyOf(p.initializer) });
					else if (ts.isMethodDeclaration(p)) found.push({ name: p.name.getText(tree), body: p.getText(tree) });
				}
			} else if (d.name.text !== 'prerender' && d.name.text !== 'ssr' && d.name.text !== 'csr') {
				found.push({ name: d.name.text, body: bodyOf(init) });
			}
		}
	}
	return found;
}

const modules = serverModules(ROUTES).map((path) => relative(ROUTES, path).replaceAll('\\', '/'));

describe('authorization coverage', () => {
	it('finds the route modules', () => {
		expect(modules.length).toBeGreaterThan(4);
	});

	it.each(modules)('%s guards every load, action and handler', (file) => {
		const source = readFileSync(join(ROUTES, file), 'utf8');
		if (PUBLIC.has(file)) {
			expect(source, `${file} is public and says why`).toMatch(/\/\/ Public:/);
			return;
		}
		const list = handlers(file, source);
		expect(list.length, `${file} exports no load or action`).toBeGreaterThan(0);
		const unguarded = list.filter((h) => !GUARD.test(h.body)).map((h) => h.name);
		expect(unguarded, `${file}: without a guard`).toEqual([]);
	});

	it('catches an unguarded load, inline action or mapped action', () => {
		const source = [
			'export const load = async (event) => { requireUser(event); };',
			'async function hand(event) { return 1; }',
			'const fine = async (event) => { requireRole(event, "admin"); };',
			'export const actions = { hand, fine, other: async (event) => { return 2; } } satisfies Actions;'
		].join('\n');
		const list = handlers('x.ts', source);
		expect(list.map((h) => h.name)).toEqual(['load', 'hand', 'fine', 'other']);
		expect(list.filter((h) => !GUARD.test(h.body)).map((h) => h.name)).toEqual(['hand', 'other']);
	});

	it('every public route is still there (the list does not rot)', () => {
		for (const file of PUBLIC) expect(modules).toContain(file);
	});
});
