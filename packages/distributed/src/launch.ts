/** How this process was started, from the launcher's environment (before MPI is initialised). */
export interface LaunchInfo {
  /** This process's rank (0 when not launched by MPI/Slurm). */
  readonly rank: number;
  /** Processes in the job (1 when not launched by MPI/Slurm). */
  readonly size: number;
  /** Which environment said so: `openmpi`, `pmi` (MPICH, Intel MPI, `srun --mpi=pmi2`), `slurm`, or `none`. */
  readonly launcher: 'openmpi' | 'pmi' | 'slurm' | 'none';
}

function int(v: string | undefined): number | undefined {
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}

/**
 * Detects rank and size from the launcher's environment: OpenMPI's `OMPI_COMM_WORLD_RANK/SIZE`
 * (`mpirun`, `srun` with pmix), PMI's `PMI_RANK/SIZE` (MPICH, Intel MPI, `srun --mpi=pmi2`), then
 * Slurm's `SLURM_PROCID/SLURM_NTASKS`. The rank and size MPI reports after `init` are the truth;
 * this decides before it whether to initialise MPI at all (a plain `deepspike train` never loads it).
 */
export function detectLaunch(env: NodeJS.ProcessEnv = process.env): LaunchInfo {
  const pairs: Array<[LaunchInfo['launcher'], string, string]> = [
    ['openmpi', 'OMPI_COMM_WORLD_RANK', 'OMPI_COMM_WORLD_SIZE'],
    ['pmi', 'PMI_RANK', 'PMI_SIZE'],
    ['slurm', 'SLURM_PROCID', 'SLURM_NTASKS'],
  ];
  for (const [launcher, r, s] of pairs) {
    const rank = int(env[r]);
    const size = int(env[s]);
    if (rank !== undefined && size !== undefined && size >= 1 && rank < size) return { rank, size, launcher };
  }
  return { rank: 0, size: 1, launcher: 'none' };
}
