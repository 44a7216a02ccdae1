/**
 * @deepspike/bench — training benchmarks: the two workloads of the PyTorch reference
 * (`torch_snn_bench.py`: mnist, cifar-resnet) on DeepSpike's backends, and a side-by-side
 * comparison with PyTorch in one run (`deepspike bench training|compare`).
 * @packageDocumentation
 */
export { runTrainingBench, type TrainingBenchOptions, type TrainingBenchResult } from './training.js';
export { runCompare, compareTable, findTorchScript, MALLOC_ENV, type CompareOptions, type CompareRow, type CompareResult } from './compare.js';
export { buildNet, WORKLOADS, REF, FIRST_LAYERS, type WorkloadName, type BenchNet, type FirstLayer } from './workloads.js';
export { messages } from './messages.js';
// Paper claims (issue 9): depth ablation, accuracy, time steps.
export { runDepthAblation, type DepthAblationOptions, type DepthResult, type DepthRunInfo } from './depth/run.js';
export { depthSpec, NO_NORM, type DepthConfig } from './depth/networks.js';
export { applyInit, weightKernels, INITS, INIT_DESCRIPTIONS, type InitName } from './depth/init.js';
export { probe, gradRatio, type ProbeResult } from './depth/probe.js';
export { writeDepthReport, depthHtml, depthCharts, depthTableRows, DEPTH_TABLE_HEAD } from './depth/report.js';
export { runAccuracy, withTimesteps, type AccuracyOptions, type AccuracyResult, type AccuracyEpoch } from './accuracy/run.js';
export { resolveModelFile } from './accuracy/model-file.js';
export { runTimesteps, timestepsHtml, PAPER_TIMESTEPS, type TimestepsOptions } from './timesteps/run.js';
// The saccade generator and the `mnist-saccade` dataset live in @deepspike/datasets (registered by its plugin);
// re-exported here for code written against their first home.
export {
  saccadeEvents,
  saccadeFrames,
  saccadeDisplacement,
  resolveSaccadeOptions,
  SACCADE_TRIANGLE,
  openMnistSaccade,
  type SaccadeOptions,
  type SaccadeEvents,
  type MnistSaccadeOptions,
} from '@deepspike/datasets';
export { installPaperPlugins } from './paper/plugins.js';
export { renderRecordPage, renderRecordPages } from './paper/rerender.js';
export { messages as paperMessages } from './paper/messages.js';
export { runLifBench, type LifBenchResult } from './lif-bench.js';
// Per-kernel profile of a training step (issue 17).
export { runProfile, type ProfileOptions, type ProfileResult, type KernelCall, type ClassRow } from './profile/run.js';
export { kernelBytes, kernelFlops, opClass, OP_CLASSES, type OpClass } from './profile/flops.js';
export { profileTable } from './profile/table.js';
export { benchStep, type BenchStep } from './training.js';
// Thread scaling and the instruction sets, side by side (issue 17).
export { runScalingBench, scalingTable, type ScalingBenchOptions, type ScalingBenchResult, type ScalingRow } from './scaling.js';
// Event-driven integer inference vs dense float inference (issue 17).
export { runEventBench, eventBenchTable, type EventBenchOptions, type EventBenchResult, type EventBenchRow } from './events/run.js';
export { eventBenchGraph, seeded, spikeInputs, EVENT_NET } from './events/network.js';
// Data-parallel scaling on MPI (issue 16).
export { runDistributedBench, distributedTable, type DistributedBenchOptions, type DistributedBenchResult, type DistributedRow } from './distributed/run.js';
export { runZoo, type ZooOptions, type ZooResult, type ZooRow } from './zoo/run.js';
export { zooTable, zooMarkdown } from './zoo/table.js';
export { ZOO, type ZooEntry } from './zoo/zoo.js';
export { countOps, spikeMultiplicity, type OpCount } from './zoo/ops.js';
