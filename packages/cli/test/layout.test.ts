import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as cli from 'deepspike';
import * as bench from '@deepspike/bench';
import * as codegen from '@deepspike/codegen';
import * as datasets from '@deepspike/datasets';
import * as distributed from '@deepspike/distributed';
import * as dsl from '@deepspike/dsl';
import * as neuromorphic from '@deepspike/neuromorphic';
import * as train from '@deepspike/train';
import * as core from '@deepspike/core';

const COMMANDS = fileURLToPath(new URL('../src/commands/', import.meta.url));
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };

describe('cli layout', () => {
  it('no command imports another command: shared helpers live in src/shared/', () => {
    const sibling: string[] = [];
    for (const f of readdirSync(COMMANDS).filter((n) => n.endsWith('.ts') && n !== 'index.ts')) {
      for (const m of readFileSync(COMMANDS + f, 'utf8').matchAll(/from '(\.\/[^']+)'/g)) sibling.push(`${f} imports ${m[1]}`);
    }
    expect(sibling).to.deep.equal([]);
  });

  it('re-exports core flat and every other @deepspike dependency as a namespace, as index.ts says', () => {
    const deps = Object.keys(manifest.dependencies).filter((d) => d.startsWith('@deepspike/') && d !== '@deepspike/core').map((d) => d.slice('@deepspike/'.length)).sort();
    expect(deps).to.deep.equal(['bench', 'codegen', 'datasets', 'distributed', 'dsl', 'neuromorphic', 'train']);
    const expected: Record<string, object> = { bench, codegen, datasets, distributed, dsl, neuromorphic, train };
    const ns = cli as unknown as Record<string, Record<string, unknown>>;
    for (const d of deps) {
      expect(Object.keys(ns[d] ?? {}).sort(), d).to.deep.equal(Object.keys(expected[d] as object).sort());
      for (const k of Object.keys(expected[d] as object)) expect(ns[d]?.[k], `${d}.${k}`).to.equal((expected[d] as Record<string, unknown>)[k]);
    }
    expect(cli.initBackend).to.equal(core.initBackend);
    expect(cli.registry).to.equal(core.registry);
  });
});
