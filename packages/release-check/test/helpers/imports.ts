/**
 * Walks the imports of a workspace package's files with the TypeScript parser: static imports and
 * re-exports (type-only ones too: the published declarations keep them), `import('…')`,
 * `import.meta.resolve('…')`, `require('…')` and `require.resolve('…')`. A dynamic import whose
 * specifier is not a string literal cannot be checked; it is reported unless a comment
 * `manifest-check: <reason>` on its line or the line above says why the module is found at run time
 * (a user's plugin, an optional backend known by name).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';

/** One imported module specifier. */
export interface ImportSite {
  /** File relative to the package folder, `/`-separated. */
  readonly file: string;
  readonly line: number;
  /** The specifier as written, or the source text of a non-literal one. */
  readonly specifier: string;
  /** False for an `import(x)` whose specifier is computed. */
  readonly literal: boolean;
  /** Only types are imported (`import type`, `export type`, `typeof import('…')`). */
  readonly typeOnly: boolean;
}

/**
 * Build output, and folders whose files are copied into other projects rather than run from this
 * package (`fixture`: the release check's outside project; `templates`: what `deepspike plugin init`
 * scaffolds; each declares its imports in the package.json it is installed with).
 */
const SKIP_DIRS = new Set(['node_modules', 'dist', 'build', '.nx', 'coverage', 'runs', 'tmp', 'fixture', 'fixtures', 'templates']);
const SOURCE = /\.(m|c)?(t|j)sx?$/;

/** The source files of a package folder, skipping build output and nested packages (folders with their own package.json). */
export function sourceFiles(dir: string, root = dir): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (SKIP_DIRS.has(name) || name.startsWith('.')) continue;
      if (p !== root && safeExists(join(p, 'package.json'))) continue;
      out.push(...sourceFiles(p, root));
    } else if (SOURCE.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function safeExists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Bare package specifier -> package name (`@a/b/c` -> `@a/b`, `x/y` -> `x`); null for relative, absolute, `node:` and builtin ones. */
export function packageOf(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:') || specifier.startsWith('file:') || specifier.startsWith('data:')) return null;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  if (builtinModules.includes(name)) return null;
  return name;
}

function unwrap(e: ts.Expression): ts.Expression {
  let x = e;
  while (ts.isAsExpression(x) || ts.isParenthesizedExpression(x) || ts.isSatisfiesExpression(x) || ts.isTypeAssertionExpression(x)) x = x.expression;
  return x;
}

/** The import sites of one file. */
export function importsOf(file: string, packageDir: string): ImportSite[] {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : undefined);
  const rel = relative(packageDir, file).split(sep).join('/');
  const lines = text.split('\n');
  const sites: ImportSite[] = [];
  const at = (node: ts.Node): number => sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
  const add = (node: ts.Node, arg: ts.Expression | undefined, typeOnly: boolean, dynamic: boolean): void => {
    if (arg === undefined) return;
    const a = unwrap(arg);
    if (ts.isStringLiteralLike(a)) sites.push({ file: rel, line: at(node), specifier: a.text, literal: true, typeOnly });
    else if (dynamic) {
      const line = at(node);
      const explained = [lines[line - 1], lines[line - 2]].some((l) => l !== undefined && /manifest-check:\s*\S/.test(l));
      if (!explained) sites.push({ file: rel, line, specifier: a.getText(sf), literal: false, typeOnly });
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const typeOnly = node.importClause?.isTypeOnly === true || (node.importClause?.namedBindings !== undefined && ts.isNamedImports(node.importClause.namedBindings) && node.importClause.name === undefined && node.importClause.namedBindings.elements.length > 0 && node.importClause.namedBindings.elements.every((e) => e.isTypeOnly));
      add(node, node.moduleSpecifier, typeOnly, false);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      add(node, node.moduleSpecifier, node.isTypeOnly, false);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression, node.isTypeOnly, false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node, node.argument.literal as ts.Expression, true, false);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const arg = node.arguments[0];
      if (callee.kind === ts.SyntaxKind.ImportKeyword) add(node, arg, false, true);
      else if (ts.isIdentifier(callee) && callee.text === 'require') add(node, arg, false, true);
      else if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'resolve') {
        const target = callee.expression;
        const isRequire = ts.isIdentifier(target) && /require$/i.test(target.text);
        const isMeta = ts.isMetaProperty(target);
        if (isRequire || isMeta) add(node, arg, false, false);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return sites;
}

/** Whether a file is test code (may use devDependencies): under `test/`, or named `*.test.*` / `*.spec.*`. */
export function isTestFile(rel: string): boolean {
  return rel.startsWith('test/') || rel.includes('/test/') || /\.(test|spec)\.[cm]?[tj]sx?$/.test(rel);
}
