import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { Registry, installPlugin, deepspikePlugin as corePlugin, type SpikingModel } from '@deepspike/core';
import { deepspikePlugin as surrogatePlugin } from '@deepspike/surrogate';
import { deepspikePlugin as tdbnPlugin } from '@deepspike/tdbn';
import type { EmittedFile } from '@deepspike/codegen';

/** Where tests write generated classes (inside the workspace, so `@deepspike/*` resolve). */
export const GENERATED_DIR = fileURLToPath(new URL('../.generated/', import.meta.url));

/** Writes emitted files to {@link GENERATED_DIR} under `subdir`; returns their absolute paths. */
export function writeGenerated(files: readonly EmittedFile[], subdir: string): string[] {
  const dir = join(GENERATED_DIR, subdir);
  mkdirSync(dir, { recursive: true });
  return files.map((f) => {
    const path = join(dir, f.path);
    writeFileSync(path, f.content);
    return path;
  });
}

/**
 * Type-checks files with the TypeScript compiler API under the repository's strict settings
 * (NodeNext, verbatimModuleSyntax, noImplicitOverride), resolving workspace packages to their
 * sources. @returns the formatted diagnostics (empty when the files compile)
 */
export function typecheck(paths: readonly string[]): string[] {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2023.d.ts'],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noImplicitOverride: true,
    noFallthroughCasesInSwitch: true,
    isolatedModules: true,
    verbatimModuleSyntax: true,
    esModuleInterop: true,
    skipLibCheck: true,
    resolveJsonModule: true,
    noEmit: true,
    types: ['node'],
    customConditions: ['deepspike-source'],
  };
  const program = ts.createProgram([...paths], options);
  const diagnostics = ts.getPreEmitDiagnostics(program);
  const host: ts.FormatDiagnosticsHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => process.cwd(), getNewLine: () => '\n' };
  return diagnostics.map((d) => ts.formatDiagnostic(d, host).trim());
}

/** Imports a generated module (tsx compiles it on the fly) and returns its exported class. */
export async function importGenerated<M extends SpikingModel>(path: string, className: string): Promise<new (options?: { seed?: number; timesteps?: number; registry?: Registry }) => M> {
  // mocha loads the specs through tsx's require hook (one CommonJS module graph): load the
  // generated file the same way, so it shares @deepspike/core's classes with the test.
  const mod = (typeof require === 'function' ? require(path) : await import(pathToFileURL(path).href)) as Record<string, unknown>;
  const cls = mod[className];
  if (typeof cls !== 'function') throw new Error(`${path} exports no class ${className}`);
  return cls as new (options?: { seed?: number; timesteps?: number; registry?: Registry }) => M;
}

/** A registry with the first-party plugins a model needs (core's encoders and neurons, surrogates, norms). */
export function firstPartyRegistry(): Registry {
  const registry = new Registry();
  for (const p of [corePlugin, surrogatePlugin, tdbnPlugin]) installPlugin(p, registry);
  return registry;
}
