/**
 * @deepspike/distributed — data-parallel training on MPI: the binding (built only where MPI is
 * installed), rank/size detection from mpirun/srun, the batch-sharding rule, and SyncBatchNorm.
 * @packageDocumentation
 */
export { detectLaunch, type LaunchInfo } from './launch.js';
export { initMpi, localCommunicator, type Communicator, type CollectiveStats } from './communicator.js';
export { loadMpiAddon, mpiAvailable, MPI_ADDON_PATH, type MpiBuffer } from './mpi-addon.js';
export { syncBatchStatistics } from './stats-sync.js';
export { messages as distributedMessages } from './messages.js';
