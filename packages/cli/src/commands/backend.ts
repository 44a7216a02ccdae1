import type { Command } from 'commander';
import { BACKEND_ORDER, initBackend, type BackendName } from '@deepspike/core';
import { CliError } from '../shared/cli-error.js';

/** `deepspike backend [--backend B] [--json]`: which compute backend runs here, and why. */
export function registerBackendCommand(program: Command): void {
  program
    .command('backend')
    .description('choose the compute backend as training would, and print which one runs and why')
    .option('--backend <name>', `force a backend (${BACKEND_ORDER.join(', ')})`)
    .option('--json', 'print {backend, provider?, forced, skipped} as JSON')
    .action(async (opts: { backend?: string; json?: boolean }) => {
      if (opts.backend !== undefined && !(BACKEND_ORDER as readonly string[]).includes(opts.backend)) {
        throw new CliError(`deepspike backend: --backend got "${opts.backend}"; expected one of ${BACKEND_ORDER.join(', ')}.`, 2);
      }
      const report = await initBackend(opts.backend as BackendName | undefined, { log: opts.json ? () => {} : undefined });
      if (opts.json) console.log(JSON.stringify({
        backend: report.backend, ...(report.provider ? { provider: report.provider } : {}), forced: report.forced, skipped: report.skipped,
      }));
    });
}
