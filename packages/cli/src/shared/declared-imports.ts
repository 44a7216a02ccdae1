import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The packages a TypeScript source imports (`@scope/name` or `name`; relative and `node:` imports left out), sorted. */
export function importedPackages(source: string): string[] {
  const names = new Set<string>();
  for (const m of source.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
    const spec = m[1] as string;
    if (spec.startsWith('.') || spec.startsWith('node:') || spec.startsWith('/')) continue;
    const parts = spec.split('/');
    names.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string));
  }
  return [...names].sort();
}

/** The nearest package.json at or above `dir`, or null. */
export function nearestManifest(dir: string): string | null {
  for (let d = dir; ; d = dirname(d)) {
    const file = join(d, 'package.json');
    if (existsSync(file)) return file;
    if (dirname(d) === d) return null;
  }
}

interface Manifest {
  name?: string;
  workspaces?: unknown;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/**
 * The packages of `imports` that the project holding `dir` (its nearest package.json) does not
 * declare in any dependency field. In an npm workspace root, packages linked from the workspace
 * count as declared. `null` when there is no package.json above `dir`.
 */
export function undeclaredImports(dir: string, imports: readonly string[]): { manifest: string; missing: string[] } | null {
  const manifest = nearestManifest(dir);
  if (!manifest) return null;
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as Manifest;
  const declared = new Set([pkg.name, ...[pkg.dependencies, pkg.devDependencies, pkg.peerDependencies, pkg.optionalDependencies].flatMap((d) => Object.keys(d ?? {}))]);
  const linked = (name: string): boolean => {
    const p = join(dirname(manifest), 'node_modules', name);
    return pkg.workspaces !== undefined && existsSync(p) && lstatSync(p).isSymbolicLink();
  };
  return { manifest, missing: imports.filter((name) => !declared.has(name) && !linked(name)) };
}
