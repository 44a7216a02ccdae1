#!/usr/bin/env node
// The compile or link flags of the MPI installation, from its compiler wrapper:
//   node scripts/mpi-flags.mjs compile|link|check
// The wrapper is $DEEPSPIKE_MPICC, else `mpicc` on PATH (OpenMPI's `--showme:*`, MPICH's `-compile_info`
// / `-link_info`). `check` exits 1 with the reason when there is no usable MPI (no wrapper, or no mpi.h).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const mpicc = process.env.DEEPSPIKE_MPICC || 'mpicc';

function run(args) {
  const r = spawnSync(mpicc, args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** `{compile, link}` flags, or a reason string. */
export function mpiFlags() {
  let compile = run(['--showme:compile']);
  let link = run(['--showme:link']);
  if (compile === null || link === null) {
    // MPICH: the full command lines; keep only -I / -L / -l / -Wl flags.
    const c = run(['-compile_info']);
    const l = run(['-link_info']);
    if (c === null || l === null) return `no MPI compiler wrapper (${mpicc} not found or it has no --showme:compile)`;
    compile = c.split(/\s+/).filter((f) => /^-[ID]/.test(f)).join(' ');
    link = l.split(/\s+/).filter((f) => /^-(L|l|Wl)/.test(f)).join(' ');
  }
  const incs = compile.split(/\s+/).filter((f) => f.startsWith('-I')).map((f) => f.slice(2));
  if (!incs.some((d) => existsSync(join(d, 'mpi.h'))) && !existsSync('/usr/include/mpi.h')) {
    return `${mpicc} found but no mpi.h under ${incs.join(', ') || '(no -I flags)'}`;
  }
  return { compile, link };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const what = process.argv[2];
  const f = mpiFlags();
  if (typeof f === 'string') {
    if (what === 'check') console.error(f);
    process.exit(1);
  }
  if (what === 'compile') console.log(f.compile);
  else if (what === 'link') console.log(f.link);
  else if (what !== 'check') {
    console.error('usage: node scripts/mpi-flags.mjs compile|link|check');
    process.exit(2);
  }
}
