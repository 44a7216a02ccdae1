/**
 * Every user-facing message of `@deepspike/train`, in the house format
 * `<where>: <what was wrong>, got <actual>; expected <expected>. <how to fix>`, so tests assert them.
 */
const show = (v: unknown): string => (typeof v === 'string' ? `"${v}"` : Array.isArray(v) ? `[${v.join(', ')}]` : String(v));

export const messages = {
  lossOutputRank: (where: string, shape: readonly number[]) =>
    `${where}: the model output has shape ${show(shape)}; expected [N, classes] or [T, N, classes]. Check the model's readout.`,
  lossLabels: (where: string, shape: readonly number[], n: number) =>
    `${where}: labels have shape ${show(shape)}; expected [${n}] (one class index per sample). Pass the batch's int32 labels.`,
  lossLabelsDtype: (where: string, dtype: string) => `${where}: labels have dtype ${dtype}; expected int32. Cast the labels with tf.cast(y, 'int32').`,
  lossOption: (where: string, option: string, value: unknown, expected: string) =>
    `${where}: option ${option} got ${show(value)}; expected ${expected}. Fix the loss options of the model file's training section.`,
  tetRank: (shape: readonly number[]) =>
    `tet: the model output has shape ${show(shape)}; expected per-step outputs [T, N, classes]. Set the model's readout to per-step outputs, or use the rate-ce loss.`,
  optimizerLr: (name: string, lr: number) => `${name}: learning rate got ${lr}; expected a finite number >= 0. Check the schedule options.`,
  optimizerOption: (name: string, option: string, value: unknown, expected: string) =>
    `${name}: option ${option} got ${show(value)}; expected ${expected}. Fix the optimizer options of the model file's training section.`,
  optimizerState: (name: string, what: string) =>
    `${name}: the saved optimiser state does not fit, got ${what}; expected the state this optimiser saved. Resume with the same optimizer settings, or start a new run.`,
  gradShape: (name: string, param: string, got: readonly number[], expected: readonly number[]) =>
    `${name}: the gradient of "${param}" has shape ${show(got)}; expected ${show(expected)}. Pass gradients computed for these parameters.`,
  clipNorm: (value: number) => `clipByGlobalNorm: maxNorm got ${value}; expected a finite number > 0. Fix --clip-grad-norm.`,
  scheduleOption: (name: string, option: string, value: unknown, expected: string) =>
    `${name} schedule: option ${option} got ${show(value)}; expected ${expected}. Fix the schedule options of the model file's training section.`,
  scheduleStep: (step: number) => `schedule: step got ${step}; expected an integer >= 0. Pass the number of optimiser steps already taken.`,
  outHoldsRun: (out: string, checkpoint: string) =>
    `train: the output directory already holds a run, got a checkpoint at ${checkpoint}; expected an empty or new directory for a fresh run. Pass --resume to continue that run, or another --out.`,
  ranksDiverged: (step: number, size: number, lo: number, hi: number, mine: number, rank: number) =>
    `train: the weights of the ${size} ranks differ after step ${step}, got checksums from ${lo} to ${hi} (rank ${rank}: ${mine}); expected one value on every rank. ` +
    'A rank computed something different (a kernel that is not deterministic, different binaries or data on a node, or a bug): rerun with --resume from the last checkpoint, and report it if it repeats.',
  deterministicSplit: (batch: number, size: number, granule: number, rank: number, got: number) =>
    `train: deterministic reductions on ${size} ranks need each rank's shard of the batch of ${batch} to be a power-of-two number of ${granule}-sample blocks, ` +
    `got ${got} samples on rank ${rank}; expected ${granule}, ${2 * granule}, ${4 * granule}, … per rank. Choose a batch size of ${size}·${granule}·2^k, or another granule (--deterministic-granule).`,
  trainOption: (option: string, value: unknown, expected: string) => `train: option ${option} got ${show(value)}; expected ${expected}. Fix the option.`,
  nonFinite: (step: number, loss: number, culprit: string, checkpoint: string | null) =>
    `train: the loss became ${loss} at step ${step}, got a non-finite value first in ${culprit}; expected finite values. ` +
    `Lower the learning rate or clip gradients (--clip-grad-norm), then resume from ${checkpoint ?? 'scratch (no checkpoint was written yet)'}.`,
  noCheckpoint: (dir: string) =>
    `train: no loadable checkpoint in ${dir}, got none; expected a checkpoint/ directory written by deepspike train. Check the path, or train without --resume.`,
  checkpointDamaged: (dir: string, why: string) =>
    `checkpoint: ${dir} cannot be loaded, got ${why}; expected a complete checkpoint written by deepspike train. Resume from another checkpoint.`,
  specMismatch: (dir: string, diffs: readonly string[]) =>
    `train: the checkpoint in ${dir} was made from a different model spec, got differences at ${diffs.join('; ')}; expected the same spec. ` +
    `Resume with the model file the checkpoint was trained from, or start a new run with another --out directory.`,
} as const;
