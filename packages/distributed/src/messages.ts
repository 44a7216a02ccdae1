/** User-facing messages of @deepspike/distributed (one module, so tests can assert them). */
export const messages = {
  noMpi: (where: string, addonPath: string, cause: string): string =>
    `${where}: distributed training needs the MPI binding ${addonPath}, got ${cause}; expected an MPI installation found at build time. ` +
    'Install OpenMPI (Debian/Ubuntu: `apt-get install -y openmpi-bin libopenmpi-dev`; Slurm clusters: `module load openmpi`), ' +
    'then rebuild it with `npm run build:addon -w @deepspike/distributed`.',
  sizeMismatch: (where: string, fromEnv: number, fromMpi: number): string =>
    `${where}: the launcher's environment says ${fromEnv} ranks, got ${fromMpi} from MPI_Comm_size; expected them to agree. ` +
    'Was the binding built against a different MPI than the mpirun that started this process? Rebuild it with the same MPI.',
  badTimeout: (where: string, got: string): string =>
    `${where}: DEEPSPIKE_COLLECTIVE_TIMEOUT got "${got}"; expected seconds >= 0 (0 waits for ever). Fix the environment variable.`,
  badOp: (where: string, op: string): string => `${where}: op got "${op}"; expected "sum", "max" or "min".`,
};
