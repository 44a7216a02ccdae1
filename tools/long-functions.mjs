#!/usr/bin/env node
// Lists the functions of packages/*/src and plugins/*/src longer than a limit (default 80 lines),
// with whether a comment beside them states why (`long-function: <reason>` in the JSDoc or on the
// line above). `--check` exits 1 when a long function states no reason.
// Usage: node tools/long-functions.mjs [--limit 80] [--check]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const limit = Number(args[args.indexOf('--limit') + 1]) || 80;
const check = args.includes('--check');

function files(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts') && !name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const sources = ['packages', 'plugins'].flatMap((top) =>
  readdirSync(join(root, top))
    .map((d) => join(root, top, d, 'src'))
    .filter((d) => { try { return statSync(d).isDirectory(); } catch { return false; } })
    .flatMap(files),
);

const rows = [];
for (const file of sources) {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const lines = text.split('\n');
  const stated = []; // reasons of the enclosing long functions: a nested function inherits them
  const visit = (node) => {
    const fn = ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isGetAccessorDeclaration(node);
    if (fn && node.body) {
      const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      const length = end - start + 1;
      if (length > limit) {
        let holder = node;
        while (holder.parent && !ts.isSourceFile(holder.parent) && !ts.isClassDeclaration(holder.parent) && !ts.isBlock(holder.parent) && !ts.isObjectLiteralExpression(holder.parent)) holder = holder.parent;
        const name = node.name?.getText(sf) ?? (ts.isVariableDeclaration(node.parent) ? node.parent.name.getText(sf) : ts.isPropertyAssignment(node.parent) ? node.parent.name.getText(sf) : '(anonymous)');
        const jsdoc = ts.getJSDocCommentsAndTags(node).map((d) => d.getText(sf)).join('\n') + ts.getJSDocCommentsAndTags(holder).map((d) => d.getText(sf)).join('\n');
        const above = lines.slice(Math.max(0, start - 3), start + 1).join('\n');
        const own = /long-function:\s*(.+)/.exec(jsdoc + '\n' + above)?.[1]?.replace(/\*\/.*$/, '').trim() ?? null;
        const reason = own ?? (stated.length > 0 ? `(inside ${stated.at(-1).name}) ${stated.at(-1).reason}` : null);
        rows.push({ file: relative(root, file), line: start + 1, name, length, reason });
        if (reason) {
          stated.push({ name, reason: own ?? stated.at(-1).reason });
          ts.forEachChild(node, visit);
          stated.pop();
          return;
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}
rows.sort((a, b) => b.length - a.length);
for (const r of rows) console.log(`${String(r.length).padStart(4)}  ${r.file}:${r.line}  ${r.name}${r.reason ? `  — ${r.reason}` : '  — NO REASON STATED'}`);
const bare = rows.filter((r) => r.reason === null);
console.log(`\n${rows.length} function(s) over ${limit} lines, ${bare.length} without a stated reason.`);
if (check && bare.length > 0) process.exit(1);
