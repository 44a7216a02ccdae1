import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIRST_PARTY_PLUGINS } from '@deepspike/core';
import { importsOf, isTestFile, packageOf, sourceFiles, type ImportSite } from './helpers/imports.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

interface Manifest {
  name: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
const readJson = <T>(p: string): T => JSON.parse(readFileSync(p, 'utf8')) as T;

/** Every npm workspace package of the repository (the root package.json's `workspaces` folders holding a package.json). */
function workspacePackages(): { dir: string; manifest: Manifest }[] {
  const globs = readJson<{ workspaces: string[] }>(join(REPO, 'package.json')).workspaces;
  return globs.flatMap((g) => {
    const parent = join(REPO, g.replace(/\/\*$/, ''));
    return readdirSync(parent)
      .sort()
      .map((d) => join(parent, d))
      .filter((dir) => existsSync(join(dir, 'package.json')))
      .map((dir) => ({ dir, manifest: readJson<Manifest>(join(dir, 'package.json')) }));
  });
}

/**
 * Test files may also use the root's devDependencies: tests run only inside this workspace, where the
 * root holds the shared tooling (mocha, chai, tsx, typescript, the @types packages).
 */
const ROOT_DEV = Object.keys(readJson<Manifest>(join(REPO, 'package.json')).devDependencies ?? {});

/** What `site` needs that `manifest` does not declare, as a sentence; null when declared. */
export function undeclared(site: ImportSite, manifest: Manifest): string | null {
  const where = `${manifest.name}: ${site.file}:${site.line}`;
  const test = isTestFile(site.file);
  // Tests import the files they generate or write by computed paths; only shipped code must be checkable.
  if (!site.literal && test) return null;
  if (!site.literal) {
    return (
      `${where}: import(${site.specifier}) has a computed specifier, got no literal; expected import('<package>') so the ` +
      `manifest can be checked. Write the package name literally, or add a comment "manifest-check: <why the module is found at run time>".`
    );
  }
  const pkg = packageOf(site.specifier);
  if (pkg === null || pkg === manifest.name) return null;
  const runtime = [manifest.dependencies, manifest.peerDependencies, manifest.optionalDependencies].flatMap((d) => Object.keys(d ?? {}));
  // A private package (an example) is never installed by anyone: its devDependencies are all it gets, and enough.
  const dev = test || manifest.private === true;
  const allowed = new Set([...runtime, ...(dev ? Object.keys(manifest.devDependencies ?? {}) : []), ...(test ? ROOT_DEV : [])]);
  const typesName = `@types/${pkg.startsWith('@') ? pkg.slice(1).replace('/', '__') : pkg}`;
  if (allowed.has(pkg) || (site.typeOnly && allowed.has(typesName))) return null;
  const inDev = Object.keys(manifest.devDependencies ?? {}).includes(pkg);
  return (
    `${where}: imports "${site.specifier}", got "${pkg}" ${inDev ? 'only in devDependencies' : 'undeclared'}; expected it in ` +
    `${dev ? 'dependencies, peerDependencies, optionalDependencies or devDependencies' : 'dependencies, peerDependencies or optionalDependencies (this is not a test file)'}. ` +
    `Add it to ${manifest.name}'s package.json.`
  );
}

describe('package manifests declare every package their code imports', () => {
  const packages = workspacePackages();

  it('finds the workspace packages and their imports', () => {
    const names = packages.map((p) => p.manifest.name);
    expect(names).to.include.members(['@deepspike/core', '@deepspike/dsl', '@deepspike/codegen', 'deepspike', '@deepspike/nx', '@deepspike/bench']);
    const core = packages.find((p) => p.manifest.name === '@deepspike/core')!;
    const sites = sourceFiles(core.dir).flatMap((f) => importsOf(f, core.dir));
    expect(sites.some((s) => s.specifier === '@tensorflow/tfjs-core' && s.file.startsWith('src/'))).to.equal(true);
  });

  it('the walker sees static, type-only, dynamic, re-exported, required and resolved imports, and flags computed ones', () => {
    const dir = fileURLToPath(new URL('./fixture-imports/', import.meta.url));
    const sites = importsOf(join(dir, 'src/sample.ts'), dir);
    expect(sites.map((s) => [s.specifier, s.line, s.literal, s.typeOnly])).to.deep.equal([
      ['static-pkg', 1, true, false],
      ['@scope/types-only/sub', 2, true, true],
      ['re-exported', 3, true, false],
      ['./local.js', 4, true, false],
      ['node:fs', 5, true, false],
      ['dynamic-pkg', 7, true, false],
      ['hidden-pkg', 8, true, false],
      ['required-pkg', 9, true, false],
      ['resolved-pkg/package.json', 10, true, false],
      ['meta-resolved', 11, true, false],
      ['name', 12, false, false],
    ]);
    const m: Manifest = { name: 'sample', dependencies: { 'static-pkg': '1', 'dynamic-pkg': '1' }, devDependencies: { 'hidden-pkg': '1' } };
    const problems = sites.map((s) => undeclared(s, m)).filter((p): p is string => p !== null);
    expect(problems[0]).to.equal(
      'sample: src/sample.ts:2: imports "@scope/types-only/sub", got "@scope/types-only" undeclared; expected it in dependencies, peerDependencies ' +
        "or optionalDependencies (this is not a test file). Add it to sample's package.json.",
    );
    expect(problems.slice(1).map((p) => p.split(': ')[1])).to.deep.equal(['src/sample.ts:3', 'src/sample.ts:8', 'src/sample.ts:9', 'src/sample.ts:10', 'src/sample.ts:11', 'src/sample.ts:12']);
    expect(problems[2]).to.contain('got "hidden-pkg" only in devDependencies');
    expect(problems.at(-1)).to.contain('import(name) has a computed specifier');
    // in a test file, devDependencies count, and so may computed specifiers (tests import files they wrote)
    expect(undeclared({ ...sites[6]!, file: 'test/x.test.ts' }, m)).to.equal(null);
    expect(undeclared({ ...sites.at(-1)!, file: 'test/x.test.ts' }, m)).to.equal(null);
    // in a private package, devDependencies count everywhere; undeclared ones still do not
    expect(undeclared(sites[6]!, { ...m, private: true })).to.equal(null);
    expect(undeclared(sites[7]!, { ...m, private: true })).to.contain('got "required-pkg" undeclared; expected it in dependencies, peerDependencies, optionalDependencies or devDependencies.');
  });

  for (const { dir, manifest } of packages) {
    const sites = (): ImportSite[] => sourceFiles(dir).flatMap((f) => importsOf(f, dir));
    it(`${manifest.name}: every import of src/, bin/, scripts and tests is declared`, () => {
      const problems = sites()
        .map((s) => undeclared(s, manifest))
        .filter((p): p is string => p !== null);
      expect(problems).to.deep.equal([]);
    });

    it(`${manifest.name}: every dependency is used by code that ships (a test-only one belongs in devDependencies)`, () => {
      const all = sites();
      const used = new Set(all.filter((s) => s.literal && !isTestFile(s.file)).map((s) => packageOf(s.specifier)));
      const shipped = sourceFiles(dir).filter((f) => !isTestFile(f.slice(dir.length + 1))).map((f) => readFileSync(f, 'utf8'));
      const byName = shipped.some((text) => text.includes('loadInstalledPlugins('));
      const gyp = existsSync(join(dir, 'binding.gyp')) ? readFileSync(join(dir, 'binding.gyp'), 'utf8') : '';
      const unused = Object.keys(manifest.dependencies ?? {}).filter(
        (d) =>
          !used.has(d) &&
          // first-party plugins this package's code loads by name through core's loadInstalledPlugins
          !(byName && FIRST_PARTY_PLUGINS.includes(d)) &&
          // C++ headers the native build (binding.gyp) includes
          !gyp.includes(d) &&
          // a module the code it generates imports (codegen's emitted classes), named as a string
          !shipped.some((text) => text.includes(`module: '${d}'`)),
      );
      expect(unused, `${manifest.name}'s dependencies that nothing outside its tests imports`).to.deep.equal([]);
    });
  }
});
