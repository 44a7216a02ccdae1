import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, parse as parsePath, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { didYouMean } from '../did-you-mean.js';

/** Where a plugin specifier led: a module file to import, or why nothing was found. */
export type PluginResolution =
  | { readonly found: true; readonly url: string; readonly path: string; readonly via: 'path' | 'node_modules' | 'deepspike' }
  | { readonly found: false; readonly reason: string; readonly suggestion?: string };

/** A path specifier (`./x`, `../x`, `/x`, `C:\x`) rather than a package name. */
export function isPathSpecifier(spec: string): boolean {
  return spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..' || isAbsolute(spec) || spec.startsWith('file:');
}

/**
 * The user export conditions of this process (`--conditions X` / `-C X` in `process.execArgv` or
 * NODE_OPTIONS), which Node applies to every import, followed by Node's own `node`, `import`, `default`.
 */
export function activeConditions(): Set<string> {
  const user: string[] = [];
  const args = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean)];
  args.forEach((a, i) => {
    const m = /^(?:--conditions|-C)(?:=(.+))?$/.exec(a);
    if (!m) return;
    const value = m[1] ?? args[i + 1];
    if (value) user.push(value);
  });
  return new Set([...user, 'node', 'import', 'default']);
}

/** Resolves one `exports` target under the conditions (Node's PACKAGE_TARGET_RESOLVE, without errors). */
function target(t: unknown, conditions: ReadonlySet<string>, star: string | undefined): string | null {
  if (typeof t === 'string') return star === undefined ? t : t.split('*').join(star);
  if (Array.isArray(t)) {
    for (const x of t) {
      const r = target(x, conditions, star);
      if (r !== null) return r;
    }
    return null;
  }
  if (t !== null && typeof t === 'object') {
    for (const [k, v] of Object.entries(t)) {
      if (!conditions.has(k)) continue;
      const r = target(v, conditions, star);
      if (r !== null) return r;
    }
  }
  return null;
}

/** The file a package subpath (`.` or `./x`) maps to through `exports`, else `main`/the path itself. */
function packageEntry(pkgDir: string, subpath: string, conditions: ReadonlySet<string>): { file: string } | { reason: string } {
  let pkg: { exports?: unknown; main?: unknown };
  try {
    pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as typeof pkg;
  } catch {
    pkg = {};
  }
  const ex = pkg.exports;
  if (ex !== undefined && ex !== null) {
    const sugar = typeof ex === 'string' || Array.isArray(ex) || Object.keys(ex as object).every((k) => !k.startsWith('.'));
    const map = (sugar ? { '.': ex } : ex) as Record<string, unknown>;
    let rel: string | null = null;
    if (subpath in map) rel = target(map[subpath], conditions, undefined);
    else {
      // Subpath patterns ("./*"): the longest matching prefix wins, as in Node.
      const keys = Object.keys(map).filter((k) => k.includes('*') && subpath.startsWith(k.slice(0, k.indexOf('*'))) && subpath.endsWith(k.slice(k.indexOf('*') + 1)));
      keys.sort((a, b) => b.indexOf('*') - a.indexOf('*'));
      const k = keys[0];
      if (k !== undefined) rel = target(map[k], conditions, subpath.slice(k.indexOf('*'), subpath.length - (k.length - k.indexOf('*') - 1)));
    }
    if (rel === null) return { reason: `its package.json "exports" has no "${subpath}" entry for the conditions ${[...conditions].join(', ')}` };
    return { file: resolve(pkgDir, rel) };
  }
  if (subpath !== '.') return { file: resolve(pkgDir, subpath) };
  return { file: resolve(pkgDir, typeof pkg.main === 'string' ? pkg.main : 'index.js') };
}

/** Package names installed in these node_modules folders (in `name`'s scope when it has one), for "did you mean". */
function installedNames(folders: ReadonlySet<string>, name: string): string[] {
  const scope = name.startsWith('@') ? name.split('/')[0] : undefined;
  const out = new Set<string>();
  for (const f of folders) {
    try {
      for (const e of readdirSync(scope ? join(f, scope) : f)) if (!e.startsWith('.') && !e.startsWith('@')) out.add(scope ? `${scope}/${e}` : e);
    } catch {
      // no such folder
    }
  }
  return [...out];
}

const found = (file: string, via: 'path' | 'node_modules' | 'deepspike'): PluginResolution => {
  const path = realpathSync(file);
  return { found: true, url: pathToFileURL(path).href, path, via };
};

/** Splits `@scope/name/sub/path` into the package name and the subpath `./sub/path` (or `.`). */
export function splitSpecifier(spec: string): { name: string; subpath: string } {
  const parts = spec.split('/');
  const n = spec.startsWith('@') ? 2 : 1;
  const rest = parts.slice(n).join('/');
  return { name: parts.slice(0, n).join('/'), subpath: rest ? `./${rest}` : '.' };
}

/**
 * Resolves a plugin specifier as Node resolves an `import` from a module in `fromDir`, honouring the
 * package `exports` and this process's export conditions:
 * - a path (`./x`, `../x`, absolute, `file:`): relative to `fromDir`; a folder means its package.json
 *   entry (`exports["."]`, else `main`, else `index.js`);
 * - a package name with an optional subpath (`@acme/alif`, `@acme/alif/register`): the first
 *   `node_modules/<name>` in `fromDir` or a parent folder (or the enclosing package itself when it
 *   has that name), then its `exports` entry for the subpath;
 * - failing that, a package installed alongside DeepSpike (what `import(name)` from @deepspike/dsl finds).
 * Symbolic links are resolved, so a package reached through a workspace link is the same module as
 * when imported by name.
 */
export function resolvePluginSpecifier(spec: string, fromDir: string): PluginResolution {
  const conditions = activeConditions();
  if (isPathSpecifier(spec)) {
    const p = spec.startsWith('file:') ? fileURLToPath(spec) : resolve(fromDir, spec);
    if (!existsSync(p)) return { found: false, reason: `no file or folder ${p}` };
    if (statSync(p).isDirectory()) {
      const e = packageEntry(p, '.', conditions);
      if ('reason' in e) return { found: false, reason: `the folder ${p}: ${e.reason}` };
      return existsSync(e.file) ? found(e.file, 'path') : { found: false, reason: `the folder ${p} names ${e.file} as its entry, which does not exist (is the package built?)` };
    }
    return found(p, 'path');
  }
  const { name, subpath } = splitSpecifier(spec);
  if (!/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(name)) return { found: false, reason: `"${name}" is not a valid package name` };
  let dir = resolve(fromDir);
  const root = parsePath(dir).root;
  const nearby = new Set<string>();
  for (;;) {
    nearby.add(join(dir, 'node_modules'));
    let pkgDir: string | null = join(dir, 'node_modules', name);
    if (!existsSync(join(pkgDir, 'package.json'))) {
      pkgDir = null;
      // Self-reference: the package enclosing fromDir, by its own name.
      try {
        const own = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; exports?: unknown };
        if (own.name === name && own.exports !== undefined) pkgDir = dir;
      } catch {
        // no package.json here
      }
    }
    if (pkgDir !== null) {
      const e = packageEntry(pkgDir, subpath, conditions);
      if ('reason' in e) return { found: false, reason: `${pkgDir}: ${e.reason}` };
      if (!existsSync(e.file)) return { found: false, reason: `${pkgDir} names ${e.file} as its entry, which does not exist (is the package built?)` };
      return found(e.file, 'node_modules');
    }
    if (dir === root) break;
    dir = dirname(dir);
  }
  try {
    const url = import.meta.resolve(spec);
    if (url.startsWith('file:')) return found(fileURLToPath(url), 'deepspike');
  } catch {
    // not installed alongside DeepSpike either
  }
  // Candidates for "did you mean": the folders searched, and those next to DeepSpike.
  for (let d = dirname(fileURLToPath(import.meta.url)); ; d = dirname(d)) {
    nearby.add(join(d, 'node_modules'));
    if (d === parsePath(d).root) break;
  }
  const suggestion = didYouMean(name, installedNames(nearby, name));
  return { found: false, reason: `no node_modules/${name} in ${resolve(fromDir)} or any parent folder, nor next to @deepspike/dsl`, ...(suggestion ? { suggestion } : {}) };
}
