import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, parse as parsePath, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { minimatch } from 'minimatch';

/** Lock files whose change means an installed (registry) package may have changed version. */
export const LOCK_FILES = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'bun.lockb'] as const;

/** A path specifier (`./x`, `../x`, `/x`, `file:`) rather than a package name (as the DSL tells them apart). */
function isPathSpecifier(spec: string): boolean {
  return spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..' || isAbsolute(spec) || spec.startsWith('file:');
}

/** `@scope/name/sub` -> `@scope/name`; `name/sub` -> `name`. */
function packageNameOf(spec: string): string {
  return spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
}

/** The package folder Node would find for `name` from `fromDir` (node_modules upwards, or the enclosing package by its own name). */
function findPackage(name: string, fromDir: string): string | null {
  for (let dir = resolve(fromDir); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    try {
      if ((JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name === name) return dir;
    } catch {
      // no (readable) package.json here
    }
    if (dir === parsePath(dir).root) return null;
  }
}

/** `path` relative to the workspace root with `/` separators, or null when it lies outside the workspace or in node_modules. */
function inWorkspace(path: string, workspaceRoot: string): string | null {
  const rel = relative(workspaceRoot, path);
  if (rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('node_modules')) return null;
  return rel.split(sep).join('/');
}

const ws = (rel: string, tail = ''): string => `{workspaceRoot}/${[rel, tail].filter(Boolean).join('/')}`;

/**
 * The Nx cache inputs standing for one entry of a model file's `"plugins"`, so a changed plugin
 * invalidates the cached targets of the models that load it. The entry is found as the DSL finds it
 * (from the model file's folder):
 * - a package in this workspace (an npm workspace link, or the enclosing package): its `src/**` and
 *   `package.json` (the whole folder when it has no `src/`);
 * - a path to a folder in the workspace: that folder; to a file: that file;
 * - a package installed from a registry, or not installed yet: the workspace's lock files (a new version
 *   changes them); Nx cannot hash files outside the workspace, so a path outside it adds nothing.
 * @param spec the `"plugins"` entry (package name with optional subpath, or a path)
 * @param modelDir absolute folder of the model file
 * @param workspaceRoot absolute workspace root
 */
export function pluginInputs(spec: string, modelDir: string, workspaceRoot: string): string[] {
  const root = existsSync(workspaceRoot) ? realpathSync(workspaceRoot) : workspaceRoot;
  const lockFiles = (): string[] => LOCK_FILES.filter((f) => existsSync(join(root, f))).map((f) => ws(f));
  if (isPathSpecifier(spec)) {
    const p = spec.startsWith('file:') ? fileURLToPath(spec) : resolve(modelDir, spec);
    if (!existsSync(p)) return [];
    const rel = inWorkspace(realpathSync(p), root);
    if (rel === null) return [];
    return statSync(p).isDirectory() ? [ws(rel, '**/*')] : [ws(rel)];
  }
  const pkg = findPackage(packageNameOf(spec), modelDir);
  const rel = pkg === null ? null : inWorkspace(realpathSync(pkg), root);
  if (pkg === null || rel === null) return lockFiles();
  return existsSync(join(pkg, 'src')) ? [ws(rel, 'src/**/*'), ws(rel, 'package.json')] : [ws(rel, '**/*')];
}

/** The root package.json's `workspaces` globs (array or `{packages}`), which Nx makes projects of. */
function workspaceGlobs(root: string): string[] {
  try {
    const w = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces?: unknown }).workspaces;
    const list = Array.isArray(w) ? w : (w as { packages?: unknown } | undefined)?.packages;
    return Array.isArray(list) ? list.filter((g): g is string => typeof g === 'string') : [];
  } catch {
    return [];
  }
}

/** Whether Nx makes a project of the workspace folder `rel`: it has a project.json, or the root package.json's `workspaces` match it. */
function isNxProject(rel: string, root: string): boolean {
  if (existsSync(join(root, rel, 'project.json'))) return true;
  const globs = workspaceGlobs(root);
  const normal = (g: string): string => g.replace(/^\.\//, '').replace(/\/$/, '');
  const included = globs.filter((g) => !g.startsWith('!')).some((g) => minimatch(rel, normal(g)));
  return included && !globs.filter((g) => g.startsWith('!')).some((g) => minimatch(rel, normal(g.slice(1))));
}

/**
 * The Nx project name of the package `name` when it is a project of this workspace (a package found
 * from `modelDir` as Node finds it, lying in the workspace in a folder with a project.json or matched
 * by the root package.json's `workspaces`), else null (installed from a registry, not installed, not a
 * project, or not a package name). Nx names a package.json project by its `nx.name`, else its `name`.
 */
export function workspaceProjectOf(spec: string, modelDir: string, workspaceRoot: string): string | null {
  if (isPathSpecifier(spec)) return null;
  const root = existsSync(workspaceRoot) ? realpathSync(workspaceRoot) : workspaceRoot;
  const pkg = findPackage(packageNameOf(spec), modelDir);
  const rel = pkg === null ? null : inWorkspace(realpathSync(pkg), root);
  if (pkg === null || rel === null || !isNxProject(rel, root)) return null;
  try {
    const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { name?: unknown; nx?: { name?: unknown } };
    const name = manifest.nx?.name ?? manifest.name;
    return typeof name === 'string' && name.length > 0 ? name : null;
  } catch {
    return null;
  }
}

/**
 * The `"plugins"` entries of a parsed model file (strings only; anything else is the validator's
 * problem, reported by `deepspike validate`).
 */
export function pluginSpecsOf(model: unknown): string[] {
  const plugins = (model as { plugins?: unknown } | null)?.plugins;
  return Array.isArray(plugins) ? plugins.filter((p): p is string => typeof p === 'string' && p.length > 0) : [];
}
