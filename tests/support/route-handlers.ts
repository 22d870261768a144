import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/**
 * The route files' server modules and what each exports (loads, actions, request handlers),
 * read with the TypeScript parser. Shared by the authorization-coverage spec (every handler calls
 * a guard) and the access-matrix test (every handler has an expected answer for every role).
 */
export function serverModules(dir: string): string[] {
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
export function handlers(file: string, source: string): { name: string; body: string }[] {
	const tree = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
	// Bodies printed without comments: a guard named only in a comment does not count.
	const printer = ts.createPrinter({ removeComments: true });
	const text = (node: ts.Node): string => printer.printNode(ts.EmitHint.Unspecified, node, tree);
	const functions = new Map<string, string>();
	const found: { name: string; body: string }[] = [];
	const bodyOf = (node: ts.Node | undefined): string => {
		if (node === undefined) return '';
		if (ts.isIdentifier(node)) return functions.get(node.text) ?? '';
		return text(node);
	};
	for (const statement of tree.statements) {
		if (ts.isFunctionDeclaration(statement) && statement.name) functions.set(statement.name.text, text(statement));
		if (ts.isVariableStatement(statement)) {
			for (const d of statement.declarationList.declarations) {
				if (ts.isIdentifier(d.name) && d.initializer && (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer))) {
					functions.set(d.name.text, text(d.initializer));
				}
			}
		}
	}
	for (const statement of tree.statements) {
		const exported = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
		if (!exported) continue;
		if (ts.isFunctionDeclaration(statement) && statement.name) found.push({ name: statement.name.text, body: text(statement) });
		if (!ts.isVariableStatement(statement)) continue;
		for (const d of statement.declarationList.declarations) {
			if (!ts.isIdentifier(d.name)) continue;
			let init = d.initializer;
			while (init && (ts.isSatisfiesExpression(init) || ts.isAsExpression(init))) init = init.expression;
			if (d.name.text === 'actions' && init && ts.isObjectLiteralExpression(init)) {
				for (const p of init.properties) {
					if (ts.isShorthandPropertyAssignment(p)) found.push({ name: p.name.text, body: bodyOf(p.name) });
					else if (ts.isPropertyAssignment(p)) found.push({ name: p.name.getText(tree), body: bodyOf(p.initializer) });
					else if (ts.isMethodDeclaration(p)) found.push({ name: p.name.getText(tree), body: text(p) });
				}
			} else if (!['prerender', 'ssr', 'csr', 'trailingSlash'].includes(d.name.text)) {
				found.push({ name: d.name.text, body: bodyOf(init) });
			}
		}
	}
	return found;
}

/** Every handler of every server module under `routesDir`, with paths relative to it. */
export function routeHandlers(routesDir = 'src/routes'): { file: string; name: string; body: string }[] {
	return serverModules(routesDir).flatMap((path) => {
		const file = relative(routesDir, path).replaceAll('\\', '/');
		return handlers(file, readFileSync(path, 'utf8')).map((h) => ({ file, ...h }));
	});
}
